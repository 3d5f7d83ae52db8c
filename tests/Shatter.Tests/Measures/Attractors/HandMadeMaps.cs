using static TorchSharp.torch;

namespace Shatter.Tests.Measures.Attractors;

/// <summary>f(x) = A·x + b on flattened images, reshaped back: a map whose fixed point and Jacobian (A) are known.</summary>
sealed class LinearMap : nn.Module<Tensor, Tensor>
{
    readonly Tensor a, b;

    public LinearMap(double[,] matrix, double[] offset) : base(nameof(LinearMap))
    {
        int d = offset.Length;
        var flat = new float[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                flat[i * d + j] = (float)matrix[i, j];
        a = tensor(flat, [d, d]);
        b = tensor(offset.Select(v => (float)v).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => x.flatten(1).matmul(a.t()).add(b).view(x.shape);
}

/// <summary>f(x) = x.</summary>
sealed class IdentityMap() : nn.Module<Tensor, Tensor>(nameof(IdentityMap))
{
    public override Tensor forward(Tensor x) => x.mul(1);
}

/// <summary>f(x) = c for every x (no dependence on x at all).</summary>
sealed class ConstantMap(Tensor image) : nn.Module<Tensor, Tensor>(nameof(ConstantMap))
{
    public override Tensor forward(Tensor x) => image.unsqueeze(0).expand(x.shape[0], -1, -1, -1).clone();
}

/// <summary>f(x) = 2x + 1: an affine map, the identity up to scale and shift.</summary>
sealed class AffineMap() : nn.Module<Tensor, Tensor>(nameof(AffineMap))
{
    public override Tensor forward(Tensor x) => x.mul(2).add(1);
}
