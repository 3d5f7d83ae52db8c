using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Shatter.Theory;

/// <summary>
/// The depth-k form of Theorem 1 (paper, Appendix C): k ReLU layers of width at most ⌈n/k⌉ + 3 and
/// O(n + d) non-zero weights computing exactly the same function as the two-layer network
/// c(x) = Σ_j w_j·max(z − b_j, 0), z = ⟨a, x⟩, for every input (not only the n sample points).
///
/// Derivation. Sort the thresholds b_1 ≤ … ≤ b_n and split them into k consecutive groups.
/// (1) z itself cannot pass through a ReLU (it may be negative), but z' = max(z − b_1, 0) can, and it
/// suffices: for every j, max(z' − (b_j − b_1), 0) = max(z − b_j, 0) — if z ≥ b_1 both sides are equal,
/// otherwise both are 0 because b_j ≥ b_1 &gt; z. And max(z', 0) = z' carries z' unchanged.
/// (2) The running sum S of the finished groups may be negative, so it travels as the pair
/// (max(S, 0), max(−S, 0)) and S = S⁺ − S⁻.
/// Layer 1 computes [z', units of group 1] from z. Layer ℓ ≥ 2 computes [z', S⁺, S⁻, units of group ℓ],
/// where S_ℓ = S_{ℓ−1} + Σ_{j ∈ group ℓ−1} w_j·unit_j is formed in its pre-activation. The linear output
/// is S⁺ − S⁻ + Σ_{j ∈ group k} w_j·unit_j = c(x). Each layer is stored as a dense nn.Linear (most
/// entries zero), so this is an ordinary feed-forward network.
/// </summary>
public sealed class DeepTheorem1Network : nn.Module<Tensor, Tensor>
{
    private readonly Parameter a;                      // (d) the projection, shared by all units
    private readonly ModuleList<Linear> layers;        // k hidden ReLU layers
    private readonly Linear output;                    // linear read-out

    public DeepTheorem1Network(Theorem1Network shallow, int depth) : base(nameof(DeepTheorem1Network))
    {
        long n = shallow.Width;
        if (depth < 1 || depth > n) throw new ShatterException($"--depth must be between 1 and the number of points ({n}), not {depth}.");
        var dtype = shallow.Precision;
        var (b, order) = shallow.B.sort();
        var w = shallow.W.index_select(0, order);
        var bv = b.to_type(ScalarType.Float64).data<double>().ToArray();
        var wv = w.to_type(ScalarType.Float64).data<double>().ToArray();
        b.Dispose(); order.Dispose(); w.Dispose();

        // group g holds sorted units [start[g], start[g + 1])
        var start = Enumerable.Range(0, depth + 1).Select(g => (int)(g * n / depth)).ToArray();
        a = new Parameter(shallow.A.detach().clone(), requires_grad: false);
        layers = new ModuleList<Linear>();
        long nonzero = a.shape[0];
        for (int g = 0; g < depth; g++)
        {
            int m = start[g + 1] - start[g];
            int carried = g == 0 ? 1 : 3;              // z' (and S⁺, S⁻ after the first layer)
            int inWidth = g == 0 ? 1 : (g == 1 ? 1 : 3) + (start[g] - start[g - 1]);
            var weight = new double[carried + m, inWidth];
            var bias = new double[carried + m];
            if (g == 0)
            {
                weight[0, 0] = 1; bias[0] = -bv[0];                                 // z' = relu(z − b_1)
                for (int j = 0; j < m; j++) { weight[1 + j, 0] = 1; bias[1 + j] = -bv[start[0] + j]; }
            }
            else
            {
                int prevCarried = g == 1 ? 1 : 3;
                weight[0, 0] = 1;                                                   // z' → z'
                if (prevCarried == 3) { weight[1, 1] = 1; weight[1, 2] = -1; weight[2, 1] = -1; weight[2, 2] = 1; }
                for (int j = start[g - 1]; j < start[g]; j++)
                {
                    int col = prevCarried + j - start[g - 1];
                    weight[1, col] = wv[j];                                         // S⁺ = relu(S + Σ w u)
                    weight[2, col] = -wv[j];                                        // S⁻ = relu(−S − Σ w u)
                }
                for (int j = 0; j < m; j++) { weight[3 + j, 0] = 1; bias[3 + j] = -(bv[start[g] + j] - bv[0]); }
            }
            layers.Add(MakeLinear(weight, bias, dtype));
            nonzero += weight.Cast<double>().Count(v => v != 0) + bias.Count(v => v != 0);
        }
        int last = start[depth] - start[depth - 1];
        int lastCarried = depth == 1 ? 1 : 3;
        var outWeight = new double[1, lastCarried + last];
        if (lastCarried == 3) { outWeight[0, 1] = 1; outWeight[0, 2] = -1; }
        for (int j = 0; j < last; j++) outWeight[0, lastCarried + j] = wv[start[depth - 1] + j];
        output = MakeLinear(outWeight, [0.0], dtype);
        nonzero += outWeight.Cast<double>().Count(v => v != 0);
        NonzeroWeights = nonzero;
        HiddenWidths = layers.Select(l => l.weight!.shape[0]).ToArray();
        RegisterComponents();
    }

    /// <summary>The widths of the k hidden layers.</summary>
    public long[] HiddenWidths { get; }
    public int Depth => HiddenWidths.Length;
    /// <summary>Non-zero weights and biases of the construction (O(n + d)); the dense layers hold more zeros.</summary>
    public long NonzeroWeights { get; }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x.reshape(x.shape[0], -1).to_type(a.dtype).matmul(a).unsqueeze(1);   // (B, 1): z = ⟨a, x⟩
        foreach (var layer in layers) h = nn.functional.relu(layer.call(h));         // (B, width_ℓ)
        return output.call(h).MoveToOuterDisposeScope();                              // (B, 1)
    }

    static Linear MakeLinear(double[,] weight, double[] bias, ScalarType dtype)
    {
        int rows = weight.GetLength(0), cols = weight.GetLength(1);
        var linear = nn.Linear(cols, rows, dtype: dtype);
        using var noGrad = no_grad();
        using var wt = tensor(weight.Cast<double>().ToArray(), [rows, cols], dtype: ScalarType.Float64);
        using var bt = tensor(bias, dtype: ScalarType.Float64);
        linear.weight!.copy_(wt);
        linear.bias!.copy_(bt);
        linear.weight.requires_grad = false;
        linear.bias.requires_grad = false;
        return linear;
    }
}
