using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shatter.Measures;

/// <summary>
/// The operator norm of a convolution on images, as opposed to the spectral norm of its kernel reshaped to
/// out × (in·k·k) (<see cref="LayerWeights"/>). Sedghi, Gupta and Long 2019 ("The singular values of
/// convolutional layers"): a kernel K (out, in, k, k) acting by circular convolution at stride 1 on H × W
/// images has as singular values those of the out × in matrices P(u, v) = Σ_{p,q} K[:, :, p, q]·e^{−2πi(pu/H + qv/W)},
/// one per frequency (u, v) — the 2-D DFT of the kernel zero-padded to H × W — so its norm is the largest of them.
/// Caveat: exact for circular padding at stride 1. Shatter's convolutions pad with zeros ("same") or not at all
/// ("valid", Inception's stride-2 downsampling): such an operator is the circular one on a grid of side n + k − 1,
/// cropped and subsampled, so its norm is at most that grid's value; for n ≫ k it is close to the value on n.
/// </summary>
public static class ConvolutionNorm
{
    /// <summary>Largest singular value of the circular convolution by <paramref name="kernel"/> (out, in, k, k) on <paramref name="height"/> × <paramref name="width"/> images.</summary>
    public static double OperatorNorm(Tensor kernel, int height, int width)
    {
        if (kernel.dim() != 4) throw new ArgumentException($"a convolution kernel is (out, in, k, k), not {kernel.dim()}-dimensional");
        if (kernel.shape[2] > height || kernel.shape[3] > width)
            throw new ArgumentException($"a {kernel.shape[2]}×{kernel.shape[3]} kernel on {height}×{width} images: the grid must be at least the kernel's size");
        using var scope = NewDisposeScope();
        var spectrum = fft.fft2(kernel.to_type(ScalarType.Float64), s: [height, width]); // (out, in, H, W) complex128
        var perFrequency = spectrum.permute(2, 3, 0, 1);                                   // (H, W, out, in)
        return linalg.svdvals(perFrequency).max().item<double>();                          // over frequencies and singular values
    }

    /// <summary>The input side (H, W) of every convolution of <paramref name="model"/>, by name, from one forward pass of ones(1, C, H, W).</summary>
    public static Dictionary<string, (int Height, int Width)> InputSides(nn.Module<Tensor, Tensor> model, (int Channels, int Height, int Width) input)
    {
        var sides = new Dictionary<string, (int, int)>();
        var hooks = new List<nn.HookableModule<Func<nn.Module<Tensor, Tensor>, Tensor, Tensor>, Func<nn.Module<Tensor, Tensor>, Tensor, Tensor, Tensor>>.HookRemover>();
        foreach (var (name, module) in model.named_modules())
            if (module is Conv2d conv)
                hooks.Add(conv.register_forward_pre_hook((_, x) => { sides[name] = ((int)x.shape[2], (int)x.shape[3]); return x; }));
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            bool training = model.training;
            model.eval();
            model.call(ones(1, input.Channels, input.Height, input.Width));
            if (training) model.train();
        }
        finally
        {
            foreach (var h in hooks) h.remove();
        }
        return sides;
    }
}
