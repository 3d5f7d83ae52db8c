using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Shatter.Models;

/// <summary>
/// Multilayer perceptron: flatten → [linear → ReLU → dropout] per hidden width → linear to the classes.
/// Paper: MLP 1x512 (2352 → 512 → 10) and MLP 3x512 (2352 → 512 → 512 → 512 → 10) on 3×28×28.
/// State-dict keys: hidden.0.weight, hidden.0.bias, ..., output.weight, output.bias.
/// </summary>
public sealed class Mlp : Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> hidden;
    private readonly Linear output;
    private readonly double dropout;

    public Mlp(long inputs, IReadOnlyList<int> widths, int classes, double dropout = 0) : base(nameof(Mlp))
    {
        hidden = new ModuleList<Linear>();
        long previous = inputs;
        foreach (var width in widths)
        {
            hidden.Add(Linear(previous, width));
            previous = width;
        }
        output = Linear(previous, classes);
        this.dropout = dropout;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.flatten(1); // (B, C, H, W) -> (B, C·H·W)
        foreach (var layer in hidden)
        {
            x = functional.relu(layer.call(x));
            if (dropout > 0) x = functional.dropout(x, dropout, training);
        }
        return scope.MoveToOuter(output.call(x)); // (B, classes)
    }
}
