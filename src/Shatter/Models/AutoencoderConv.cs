using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Shatter.Models;

/// <summary>
/// Convolutional autoencoder in the form Zhang, Bengio, Hardt, Mozer and Singer study ("Identity crisis:
/// memorization and generalization under extreme overparameterization", ICLR 2020): a stack of stride-1,
/// "same"-padded convolutions with ReLU and no pooling, so every layer keeps the image's H×W, then one
/// convolution back to the image's channels with a LINEAR output (as <see cref="AutoencoderMlp"/>, so that
/// whitened or Gaussian inputs can be reproduced). Name: <c>ae-conv-&lt;depth&gt;x&lt;channels&gt;[-k&lt;kernel&gt;]</c>: depth
/// hidden convolutions of that many channels, odd kernel side (3 unless given), padding ⌊k/2⌋.
/// (B, C, H, W) -> (B, ch, H, W) ×depth -> (B, C, H, W). Works on any image size.
/// State-dict keys: hidden.0.weight, hidden.0.bias, ..., output.weight, output.bias.
/// Parameters (PyTorch's Conv2d: weight (out, in, k, k) + bias (out)):
/// C·ch·k² + ch + (depth − 1)·(ch²·k² + ch) + ch·C·k² + C.
/// </summary>
public sealed class AutoencoderConv : Module<Tensor, Tensor>
{
    private readonly ModuleList<Conv2d> hidden;
    private readonly Conv2d output;

    public AutoencoderConv(int channels, int depth, int hiddenChannels, int kernel) : base(nameof(AutoencoderConv))
    {
        int padding = kernel / 2;
        hidden = new ModuleList<Conv2d>();
        long previous = channels;
        for (int i = 0; i < depth; i++)
        {
            hidden.Add(Conv2d(previous, hiddenChannels, kernel, padding: padding));
            previous = hiddenChannels;
        }
        output = Conv2d(previous, channels, kernel, padding: padding);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input;
        foreach (var layer in hidden) x = functional.relu(layer.call(x)); // (B, C or ch, H, W) -> (B, ch, H, W)
        return scope.MoveToOuter(output.call(x));                          // -> (B, C, H, W), linear
    }
}
