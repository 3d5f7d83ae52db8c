using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shatter.Measures;

/// <summary>
/// The weight matrices of a network's linear maps, in module order, as float64 CPU tensors: a linear
/// layer's (out, in); a convolution's kernel (out, in, k, k) reshaped to (out, in·k·k) — the usual
/// stand-in for the convolution's operator (its spectral norm is not the operator norm of the
/// convolution on images). Biases are not included. Fold batch norm first (<see cref="BatchNormFolding"/>).
/// </summary>
public static class LayerWeights
{
    /// <summary>One linear map: its module name, whether a convolution, the (out, -1) matrix, and the weight's own shape ((out, in, k, k) for a convolution).</summary>
    public sealed record Layer(string Name, bool Convolution, Tensor Weight, long[] Shape);

    public static List<Layer> Of(nn.Module model)
    {
        var layers = new List<Layer>();
        foreach (var (name, module) in model.named_modules())
        {
            Tensor? w = module switch
            {
                Conv2d c => c.weight,
                Linear l => l.weight,
                _ => null,
            };
            if (w is null) continue;
            using var noGrad = no_grad();
            layers.Add(new Layer(name, module is Conv2d, w.detach().to(ScalarType.Float64, CPU).reshape(w.shape[0], -1).contiguous(), w.shape));
        }
        return layers;
    }
}
