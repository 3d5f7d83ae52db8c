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
        using var scope = NewDisposeScope();
        var k = kernel.to_type(ScalarType.Float64);
        if (k.shape[2] > height || k.shape[3] > width) k = Aliased(k, height, width);
        // a real kernel's P(−u, −v) is the conjugate of P(u, v), with the same singular values: half the frequencies suffice
        var spectrum = fft.rfft2(k, s: [height, width]);                                 // (out, in, H, W/2 + 1) complex128
        var p = spectrum.permute(2, 3, 0, 1);                                              // (H, W/2 + 1, out, in)
        // σ_max(P) = √λ_max of the smaller Gram matrix P·Pᴴ or Pᴴ·P: a batched Hermitian eigenvalue problem of side
        // min(out, in), several times cheaper than batched SVDs (the largest eigenvalue keeps full relative precision)
        var ph = p.conj().transpose(-2, -1);
        var gram = p.shape[2] <= p.shape[3] ? p.matmul(ph) : ph.matmul(p);                 // (H, W/2 + 1, m, m)
        return Math.Sqrt(linalg.eigvalsh(gram).max().item<double>());                      // over frequencies and eigenvalues
    }

    /// <summary>
    /// A kernel larger than the grid (Inception's 3×3 branches on 1×1 maps of 7×7 inputs) wraps around it: tap (p, q)
    /// lands on (p mod H, q mod W), so the DFT at the H × W frequencies is that of the summed taps (fft2 with a
    /// smaller size would crop instead).
    /// </summary>
    static Tensor Aliased(Tensor k, int height, int width)
    {
        var folded = zeros(k.shape[0], k.shape[1], height, width, dtype: ScalarType.Float64);
        using var one = 1.0.ToScalar();
        for (long p = 0; p < k.shape[2]; p++)
            for (long q = 0; q < k.shape[3]; q++)
                folded.narrow(2, p % height, 1).narrow(3, q % width, 1).add_(k.narrow(2, p, 1).narrow(3, q, 1), one);
        return folded;
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
