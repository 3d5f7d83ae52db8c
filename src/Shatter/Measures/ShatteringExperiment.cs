using System.Diagnostics;
using Shatter.Models;
using Shatter.Runtime;
using Shatter.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Shatter.Results;

namespace Shatter.Measures;

/// <summary>
/// Shattering, the definition of the VC dimension: N seeded points drawn from N(0, I_D); for every labelling
/// in {±1}^N (N ≤ <see cref="MaxExhaustive"/>; else K random ones) train the MLP with a one-output head and
/// count the labellings it fits (every sign right). All fitted: these N points are shattered, an empirical
/// lower bound VC ≥ N. A labelling not fitted proves nothing (training may miss a fit that exists).
/// All labellings train at once as one batched network: each layer is a (K, in, out) weight tensor applied
/// with bmm, so K independent networks (PyTorch's default initialisation each) share every kernel call.
/// Full-batch Adam on the logistic loss; labellings not fitted are retried from a fresh initialisation.
/// </summary>
public static class ShatteringExperiment
{
    public const int MaxExhaustive = 14;

    public static ShatteringResult Run(string model, int n, int d, int randomLabellings = 1000, int steps = 2000, int restarts = 3,
        double learningRate = 0.05, long seed = 1)
    {
        if (n < 1 || n > 100_000) throw new ShatterException($"--n must be from 1 to 100000 points, not {n}.");
        if (d < 1 || d > 10_000) throw new ShatterException($"--d must be from 1 to 10000 dimensions, not {d}.");
        if (randomLabellings < 1) throw new ShatterException($"--labellings must be positive, not {randomLabellings}.");
        if (steps < 1 || restarts < 0) throw new ShatterException("--steps must be positive and --restarts 0 or more.");
        var spec = ModelRegistry.Describe(model);
        if (spec.Family != "mlp")
            throw new ShatterException($"vc trains MLPs on points in {d} dimensions; '{model}' is not an MLP (use mlp-<depth>x<width> or mlp-<w1>-<w2>-...).");
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        // layer shapes from the registry's own network with a one-output head on a (d, 1, 1) input
        using var reference = ModelRegistry.CreateScorer(model, (d, 1, 1), new ModelOptions());
        long parameters = ModelRegistry.ParameterCount(reference);
        // forward order from the Mlp's keys: hidden.0, hidden.1, ..., output
        var shapes = reference.named_modules().Where(m => m.module is Linear)
            .OrderBy(m => m.name == "output" ? int.MaxValue : int.Parse(m.name.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture))
            .Select(m => (In: ((Linear)m.module).in_features, Out: ((Linear)m.module).out_features)).ToList();

        using var pointGen = new Generator((ulong)Seeds.Derive(seed, "vc/points"));
        var x = randn([n, d], generator: pointGen);                                          // (N, D)
        bool all = n <= MaxExhaustive;
        int k = all ? 1 << n : randomLabellings;
        Tensor labels;                                                                          // (K, N) of ±1
        if (all)
        {
            var codes = HeldScalars.Arange(k).unsqueeze(1);
            var bits = HeldScalars.Arange(n).unsqueeze(0);
            labels = codes.bitwise_right_shift(bits).bitwise_and(tensor(1L)).to_type(ScalarType.Float32).mul(Two).sub(One);
        }
        else
        {
            using var labelGen = new Generator((ulong)Seeds.Derive(seed, "vc/labels"));
            labels = randint(0, 2, [k, n], generator: labelGen, dtype: ScalarType.Float32).mul(Two).sub(One);
        }

        var fitted = zeros(k, dtype: ScalarType.Bool);
        int tries = 0;
        for (int attempt = 0; attempt <= restarts; attempt++)
        {
            var todo = fitted.logical_not().nonzero().squeeze(1);
            if (todo.shape[0] == 0) break;
            tries = attempt;
            var done = Train(x, labels.index_select(0, todo), shapes, steps, learningRate, Seeds.Derive(seed, $"vc/init/{attempt}"));
            fitted.index_put_(done, todo);
        }
        int count = (int)fitted.sum().item<long>();
        return new ShatteringResult(spec.Name, n, d, all, k, count, parameters, tries, steps, learningRate, seed, clock.Elapsed.TotalSeconds);
    }

    static readonly Scalar One = 1.0.ToScalar(), Two = 2.0.ToScalar(), Zero = 0.0.ToScalar();

    /// <summary>Trains K networks on (x, labels (K, N)) at once; returns which fit every sign.</summary>
    static Tensor Train(Tensor x, Tensor labels, List<(long In, long Out)> shapes, int steps, double lr, long seed)
    {
        using var scope = NewDisposeScope();
        long k = labels.shape[0];
        using var gen = new Generator((ulong)seed);
        var weights = new List<Tensor>();
        var biases = new List<Tensor>();
        foreach (var (i, o) in shapes)
        {
            using var bound = (1.0 / Math.Sqrt(i)).ToScalar(); // PyTorch's Linear default: U(−1/√in, 1/√in) for weight and bias
            weights.Add(rand([k, i, o], generator: gen).mul(Two).sub(One).mul(bound).requires_grad_());
            biases.Add(rand([k, 1, o], generator: gen).mul(Two).sub(One).mul(bound).requires_grad_());
        }
        var parameters = weights.Concat(biases).Select(t => new Parameter(t)).ToList();
        using var opt = new Training.Adam(parameters, lr);
        int layers = parameters.Count / 2;
        Tensor Forward()
        {
            // first layer: one GEMM for all K networks, x (N, D) @ (D, K·H1) -> (N, K, H1)
            var w1 = parameters[0];
            var h = x.matmul(w1.permute(1, 0, 2).reshape(w1.shape[1], -1)).view(x.shape[0], k, -1).add(parameters[layers].squeeze(1), One);
            if (layers == 1) return h.squeeze(2).t();
            h = nn.functional.relu(h).transpose(0, 1);                                        // (K, N, H1)
            for (int l = 1; l < layers - 1; l++)
                h = nn.functional.relu(h.bmm(parameters[l]).add(parameters[layers + l], One));     // (K, N, H) @ (K, H, H') + (K, 1, H')
            // last layer (K, H, 1): a weighted sum per network -> (K, N)
            return h.mul(parameters[layers - 1].transpose(1, 2)).sum(2).add(parameters[2 * layers - 1].view(k, 1), One);
        }
        Tensor Fits()
        {
            using var noGrad = no_grad();
            return Forward().mul(labels).gt(Zero).all(1);
        }
        for (int step = 1; step <= steps; step++)
        {
            using var s = NewDisposeScope();
            opt.ZeroGrad();
            // summed over labellings, so each network gets its own mean-loss gradient
            HeldScalars.Softplus(Forward().mul(labels).neg()).mean(new long[] { 1 }).sum().backward();
            opt.Step();
            if (step % 50 == 0 && Fits().all().item<bool>()) break;
        }
        return Fits().MoveToOuterDisposeScope();
    }
}
