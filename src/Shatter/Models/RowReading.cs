using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Shatter.Models;

/// <summary>
/// What the row-by-row recurrent classifiers (<see cref="RowLstm"/>, <see cref="RowGru"/>) share: an image read as a
/// sequence of its rows, and the head on the last step's hidden state. Not a model; each model keeps its own layers
/// (and so its state-dict keys rnn.*, head.*).
/// </summary>
static class RowReading
{
    /// <summary>Input features of one step: the C·W values of one row.</summary>
    public static long StepSize(int channels, int width) => (long)channels * width;

    /// <summary>(B, C, H, W) → (B, H, C·W): one step per row.</summary>
    public static Tensor Rows(Tensor input) => input.permute(0, 2, 1, 3).flatten(2);

    /// <summary>(B, H, hidden) → (B, classes): dropout (when on, in training) on the last step, then the head.</summary>
    public static Tensor Classify(Tensor output, Linear head, double dropout, bool training)
    {
        var last = output.select(1, -1);                   // (B, hidden)
        if (dropout > 0) last = functional.dropout(last, dropout, training);
        return head.call(last);
    }
}
