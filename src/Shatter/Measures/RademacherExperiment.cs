using System.Diagnostics;
using Shatter.Models;
using Shatter.Runtime;
using Shatter.Training;
using TorchSharp;
using static TorchSharp.torch;
using Shatter.Results;

namespace Shatter.Measures;

/// <summary>
/// The paper's argument in numbers: the empirical Rademacher complexity R̂_n(H) = E_σ sup_h (1/n) Σ σᵢ h(xᵢ),
/// estimated by training the model (one-output head, logistic loss softplus(−σf)) on K random ±1 labelings
/// σ of n training images: each draw gives (1/n) Σ σᵢ sign(f(xᵢ)) = 2·(training accuracy) − 1, a lower
/// bound on the supremum for that σ. The bound it implies for the 0–1 loss (Mohri et al., Foundations of
/// Machine Learning, Thm 3.5 with the loss class's complexity R̂/2): with probability 1 − δ,
/// test error ≤ training error + R̂ + 3√(ln(2/δ)/(2n)); vacuous (≥ 1, the trivial bound) when R̂ ≈ 1.
/// SGD with momentum 0.9, batch 128, the model's paper learning rate, constant; R̂ read after each budget of epochs.
/// </summary>
public static class RademacherExperiment
{
    static readonly Scalar One = 1.0.ToScalar(), Two = 2.0.ToScalar();

    public static RademacherResult Run(string model, string dataset, string? dataDir, int n, int draws, IReadOnlyList<int> budgets, long seed = 1,
        double delta = 0.05, Action<string>? progress = null)
    {
        if (n < 2) throw new ShatterException($"--train-size must be at least 2, not {n}.");
        if (draws < 1) throw new ShatterException($"--draws must be positive, not {draws}.");
        if (budgets.Count == 0 || budgets.Any(b => b < 1)) throw new ShatterException("--epochs must list positive epoch budgets, e.g. 10,100.");
        var clock = Stopwatch.StartNew();
        var spec = ModelRegistry.Describe(model);
        using var data = TrainingData.Prepare(new TrainConfig { Dataset = dataset, DataDir = dataDir, TrainSize = n, TestSize = 10, Seed = seed }, CPU);
        var x = data.TrainEvalX;
        int m = data.TrainCount;
        var sorted = budgets.Distinct().Order().ToList();
        var perBudget = sorted.ToDictionary(b => b, _ => new List<(double R, double Acc)>());
        long parameters = 0;
        for (int k = 0; k < draws; k++)
        {
            using var scope = NewDisposeScope();
            using var gen = new Generator((ulong)Seeds.Derive(seed, $"rademacher/labels/{k}"));
            var sigma = randint(0, 2, [m], generator: gen, dtype: ScalarType.Float32).mul(Two).sub(One); // ±1 (n)
            manual_seed(Seeds.Derive(seed, $"rademacher/init/{k}"));
            using var net = ModelRegistry.CreateScorer(model, data.InputShape, new ModelOptions());
            parameters = ModelRegistry.ParameterCount(net);
            using var opt = new Sgd(net.parameters(), spec.DefaultLearningRate, momentum: 0.9);
            double r = Correlation(net, x, sigma), acc = (r + 1) / 2;
            int epoch = 0;
            foreach (var budget in sorted)
            {
                while (epoch < budget && r < 1)
                {
                    epoch++;
                    using var orderGen = new Generator((ulong)Seeds.Derive(seed, $"rademacher/order/{k}/{epoch}"));
                    var order = randperm(m, generator: orderGen);
                    net.train();
                    for (int start = 0; start < m; start += 128)
                    {
                        using var step = NewDisposeScope();
                        var idx = order.narrow(0, start, Math.Min(128, m - start));
                        opt.ZeroGrad();
                        var f = net.call(x.index_select(0, idx)).squeeze(1);
                        HeldScalars.Softplus(f.mul(sigma.index_select(0, idx)).neg()).mean().backward(); // logistic loss on ±1 labels
                        opt.Step();
                    }
                    r = Correlation(net, x, sigma);
                }
                acc = Accuracy(net, x, sigma);
                perBudget[budget].Add((r, acc));
            }
            progress?.Invoke($"draw {k + 1}/{draws}: R̂ = {r:0.000} after {epoch} epochs");
        }
        double gapTerm = 3 * Math.Sqrt(Math.Log(2 / delta) / (2.0 * m));
        var points = sorted.Select(b =>
        {
            var rs = perBudget[b].Select(p => p.R).ToArray();
            double mean = rs.Average();
            double sd = rs.Length > 1 ? Math.Sqrt(rs.Sum(v => (v - mean) * (v - mean)) / (rs.Length - 1)) : 0;
            return new RademacherPoint(b, mean, sd, rs.Min(), rs.Max(), rs, mean + gapTerm, perBudget[b].Average(p => p.Acc));
        }).ToList();
        return new RademacherResult(spec.Name, data.DatasetName, m, draws, parameters, spec.DefaultLearningRate, 128, seed, delta, points, clock.Elapsed.TotalSeconds);
    }

    /// <summary>(1/n) Σ σᵢ sign(f(xᵢ)) in eval mode (a zero output counts 0).</summary>
    public static double Correlation(nn.Module<Tensor, Tensor> net, Tensor x, Tensor sigma)
    {
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        net.eval();
        var f = Scores(net, x);
        return f.sign().mul(sigma).mean().item<float>();
    }

    static double Accuracy(nn.Module<Tensor, Tensor> net, Tensor x, Tensor sigma)
    {
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        net.eval();
        return Scores(net, x).sign().eq(sigma).to_type(ScalarType.Float32).mean().item<float>();
    }

    static Tensor Scores(nn.Module<Tensor, Tensor> net, Tensor x)
    {
        var parts = new List<Tensor>();
        long n = x.shape[0];
        for (long s = 0; s < n; s += 1000) parts.Add(net.call(x.narrow(0, s, Math.Min(1000, n - s))).squeeze(1));
        return cat(parts, 0);
    }

    /// <summary>"vacuous" when the bound on the test error is at least 1 (the trivial bound), else how it compares with chance.</summary>
    public static string Verdict(double boundGap) => boundGap >= 1 ? "vacuous (≥ 1, no better than the trivial bound)"
        : boundGap >= 0.5 ? "no better than guessing (≥ 0.5)" : "non-trivial (< 0.5)";
}
