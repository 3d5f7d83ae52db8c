using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Measures.Attractors;

/// <summary>
/// Iterating a map x_{k+1} = f(x_k) (no gradient, eval mode, batched) and matching where it ends against the training
/// images: the retrieval mechanism of Radhakrishnan, Belkin and Uhler (PNAS 2020).
/// </summary>
public static class MapIteration
{
    /// <summary>x_K after <paramref name="steps"/> applications of f to every start in <paramref name="starts"/> (N, ...).</summary>
    public static Tensor Iterate(nn.Module<Tensor, Tensor> f, Tensor starts, int steps)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = starts;
        for (int k = 0; k < steps; k++) x = f.call(x);
        return x.detach().clone().MoveToOuterDisposeScope();
    }

    /// <summary>‖a_i − b_i‖₂ / ‖b_i‖₂ per image, pairing (N, ...) with (N, ...); b_i = 0 gives the absolute distance.</summary>
    public static double[] RelativeDistance(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        using Scalar tiny = 1e-30.ToScalar();
        var diff = a.sub(b).flatten(1).to_type(ScalarType.Float64).norm(1);
        var size = b.flatten(1).to_type(ScalarType.Float64).norm(1);
        var scale = where(size.gt(tiny), size, ones_like(size));
        return diff.div(scale).data<double>().ToArray();
    }

    /// <summary>
    /// For each point (M, ...), the nearest training image (N, ...) by Euclidean distance and the distance relative to
    /// that image's norm.
    /// </summary>
    public static (long[] Index, double[] RelativeDistance) Nearest(Tensor points, Tensor training)
    {
        using var scope = NewDisposeScope();
        var p = points.flatten(1).to_type(ScalarType.Float64);
        var t = training.flatten(1).to_type(ScalarType.Float64);
        var distances = cdist(p, t);                                   // (M, N)
        var (best, index) = distances.min(1);
        using Scalar tiny = 1e-30.ToScalar();
        var size = t.norm(1).index_select(0, index);
        var scale = where(size.gt(tiny), size, ones_like(size));
        return (index.data<long>().ToArray(), best.div(scale).data<double>().ToArray());
    }
}
