using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Theory;

/// <summary>
/// The two-layer ReLU network of Theorem 1 (paper §4, Appendix C): c(x) = Σ_j w_j·max(⟨a, x⟩ − b_j, 0),
/// with 2n + d weights (a: d, b: n, w: n). Input (B, C, H, W) or (B, d), flattened to (B, d);
/// output (B, 1), one real value per example. Labels are fitted as real targets (a class index for
/// a dataset), so a prediction is read by rounding to the nearest label.
/// </summary>
public sealed class Theorem1Network : nn.Module<Tensor, Tensor>
{
    // names follow the paper: a the projection, b the biases (thresholds), w the output weights
    private readonly TorchSharp.Modules.Parameter a;
    private readonly TorchSharp.Modules.Parameter b;
    private readonly TorchSharp.Modules.Parameter w;

    /// <param name="a">(d) the projection direction.</param>
    /// <param name="b">(n) thresholds, interleaved with the sorted projections.</param>
    /// <param name="w">(n) output weights, w = A⁻¹y.</param>
    public Theorem1Network(Tensor a, Tensor b, Tensor w) : base(nameof(Theorem1Network))
    {
        if (a.dim() != 1 || b.dim() != 1 || w.dim() != 1 || b.shape[0] != w.shape[0])
            throw new ArgumentException("a must be (d), b and w must be (n)");
        this.a = new TorchSharp.Modules.Parameter(a.detach().clone(), requires_grad: false);
        this.b = new TorchSharp.Modules.Parameter(b.detach().clone(), requires_grad: false);
        this.w = new TorchSharp.Modules.Parameter(w.detach().clone(), requires_grad: false);
        // the network owns its weights (disposed with it), even when built inside a dispose scope
        this.a.DetachFromDisposeScope();
        this.b.DetachFromDisposeScope();
        this.w.DetachFromDisposeScope();
        RegisterComponents();
    }

    /// <summary>d, the input dimension.</summary>
    public long InputDimension => a.shape[0];
    /// <summary>n, the number of hidden units (one per fitted point).</summary>
    public long Width => b.shape[0];
    /// <summary>2n + d.</summary>
    public long WeightCount => 2 * Width + InputDimension;
    public ScalarType Precision => a.dtype;

    public Tensor A => a;
    public Tensor B => b;
    public Tensor W => w;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var flat = x.reshape(x.shape[0], -1).to_type(a.dtype);               // (B, d)
        var z = flat.matmul(a);                                               // (B)
        var hidden = nn.functional.relu(z.unsqueeze(1).sub(b.unsqueeze(0)));   // (B, n)
        return hidden.matmul(w).unsqueeze(1).MoveToOuterDisposeScope();        // (B, 1)
    }

    /// <summary>Outputs (N) for many inputs, in batches so that the (B, n) hidden layer stays small.</summary>
    public Tensor Predict(Tensor x, int batch = 1024)
    {
        using var noGrad = no_grad();
        var parts = new List<Tensor>();
        for (long s = 0; s < x.shape[0]; s += batch)
        {
            using var chunk = x.narrow(0, s, Math.Min(batch, x.shape[0] - s));
            using var y = forward(chunk);
            parts.Add(y.squeeze(1));
        }
        var result = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return result;
    }
}
