using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Shatter.Models;

/// <summary>
/// An LSTM text classifier (beyond the paper): a token embedding of <c>hidden</c> dimensions (the padding row 0 kept at
/// zero), an LSTM of <c>layers</c> layers of <c>hidden</c> units reading the tokens in order, and a linear head on its
/// output at each text's last token (padding, which comes after it, is never read into that state).
/// Parameters: V·h + layers·(8·h² + 8·h) (PyTorch's two bias vectors per layer) + h·C + C; text-lstm-1x256 on the
/// fortunes corpus at 64 tokens (V = 25,084, C = 32) has 6,421,504 + 526,336 + 8,224 = 6,956,064. Dropout (when on)
/// between layers and before the head. State-dict keys: embed.weight, rnn.weight_ih_l0, ..., head.weight, head.bias.
/// </summary>
public sealed class TextLstm : Module<Tensor, Tensor>
{
    private readonly Embedding embed;
    private readonly LSTM rnn;
    private readonly Linear head;
    private readonly double dropout;

    public TextLstm(int vocabulary, int layers, int hidden, int classes, double dropout = 0) : base(nameof(TextLstm))
    {
        embed = Embedding(vocabulary, hidden, padding_idx: 0);
        rnn = LSTM(hidden, hidden, layers, batchFirst: true, dropout: layers > 1 ? dropout : 0);
        head = Linear(hidden, classes);
        this.dropout = dropout;
        RegisterComponents();
    }

    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var mask = TokenPooling.Mask(ids);                                   // (B, T)
        var (output, _, _) = rnn.call(embed.call(ids), null);                // (B, T) -> (B, T, h)
        var last = TokenPooling.Last(output, mask);                          // (B, h)
        if (dropout > 0) last = functional.dropout(last, dropout, training);
        return scope.MoveToOuter(head.call(last));                           // (B, classes)
    }
}
