using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Shatter.Models;

/// <summary>
/// A recurrent classifier beyond the paper's models: a GRU reads the image row by row (H steps, each the
/// C·W values of one row), and a linear head maps its last hidden state to the classes.
/// Per layer 3h(in + h) + 6h parameters. gru-2x256 on 3×28×28 with 10 classes has 659,978.
/// Dropout (when on) between layers and before the head.
/// State-dict keys: rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, ..., head.weight, head.bias.
/// </summary>
public sealed class RowGru : Module<Tensor, Tensor>
{
    private readonly GRU rnn;
    private readonly Linear head;
    private readonly double dropout;

    public RowGru(int channels, int width, int layers, int hidden, int classes, double dropout = 0) : base(nameof(RowGru))
    {
        rnn = GRU(RowReading.StepSize(channels, width), hidden, layers, batchFirst: true, dropout: layers > 1 ? dropout : 0);
        head = Linear(hidden, classes);
        this.dropout = dropout;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var (output, _) = rnn.call(RowReading.Rows(input), null);            // (B, H, hidden)
        return scope.MoveToOuter(RowReading.Classify(output, head, dropout, training));
    }
}
