using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Shatter.Models;

/// <summary>
/// Fully connected autoencoder, the kind Radhakrishnan, Belkin and Uhler ("Overparameterized neural networks
/// implement associative memory", PNAS 2020) iterate as a map: flatten → [linear → ReLU] per hidden width →
/// linear back to C·H·W → reshape to the input's (C, H, W). Names: <c>ae-mlp-&lt;depth&gt;x&lt;width&gt;</c> (depth hidden
/// layers of one width) or <c>ae-mlp-&lt;w1&gt;-&lt;w2&gt;-...</c> (one hidden layer per width, so a bottleneck such as
/// ae-mlp-512-64-512 can be asked for).
/// The output is LINEAR, not a sigmoid: the map must be able to send an image to itself for its training images
/// to be fixed points, and Shatter's inputs are whitened per image (values outside [0, 1]) or Gaussian (the
/// random-input randomizations), which a sigmoid's (0, 1) range cannot reproduce; a linear output makes
/// f: ℝ^d → ℝ^d, the setting in which the paper defines fixed points and attractors (Jacobian spectral radius
/// below 1). ReLU hidden units are Shatter's MLP's; the paper's own nonlinearities are not copied (docs/beyond-supervised.md).
/// State-dict keys: hidden.0.weight, hidden.0.bias, ..., output.weight, output.bias.
/// Parameters: d·w₁ + w₁ + Σ (wᵢ·wᵢ₊₁ + wᵢ₊₁) + w_last·d + d, with d = C·H·W.
/// </summary>
public sealed class AutoencoderMlp : Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> hidden;
    private readonly Linear output;
    private readonly long channels, height, width;

    public AutoencoderMlp(int channels, int height, int width, IReadOnlyList<int> widths) : base(nameof(AutoencoderMlp))
    {
        this.channels = channels;
        this.height = height;
        this.width = width;
        long inputs = (long)channels * height * width;
        hidden = new ModuleList<Linear>();
        long previous = inputs;
        foreach (var w in widths)
        {
            hidden.Add(Linear(previous, w));
            previous = w;
        }
        output = Linear(previous, inputs);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.flatten(1);                                   // (B, C, H, W) -> (B, C·H·W)
        foreach (var layer in hidden) x = functional.relu(layer.call(x)); // -> (B, wᵢ)
        var y = output.call(x);                                     // -> (B, C·H·W), linear
        return scope.MoveToOuter(y.view(input.shape[0], channels, height, width)); // -> (B, C, H, W)
    }
}
