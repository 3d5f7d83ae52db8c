using System.Diagnostics;
using static TorchSharp.torch;

namespace Shatter.Theory;

/// <summary>
/// Minimum-norm kernel interpolation of one-hot labels on a <see cref="TheorySample"/>, for one or
/// several label-noise levels; all levels share one kernel factorization (K does not depend on labels).
/// Level p uses the labels that <see cref="TheorySample.Load"/> would draw with --label-noise p.
/// </summary>
public static class KernelExperiment
{
    public sealed record Options(string Precision = "auto", double Ridge = 0, int MaxRefinements = 3, double Tolerance = 1e-6, int Block = 1024, string Features = "pixels");

    public static IReadOnlyList<KernelResult> Run(TheorySample sample, KernelFunction kernel, IReadOnlyList<double> noises, long seed, Options options, Action<string>? log = null)
    {
        var precision = KernelSolver.ChoosePrecision(sample.N, options.Precision);
        using var solver = new KernelSolver(kernel, sample.TrainX, precision, options.Ridge, options.Block, log);
        var results = new List<KernelResult>();
        foreach (double p in noises)
        {
            using var scope = NewDisposeScope();
            Tensor labels;
            double changed;
            if (p == sample.LabelNoise) (labels, changed) = (sample.TrainY, sample.FractionChanged);
            else
            {
                var noisy = Corruptions.LabelNoise.Apply(sample.TrueTrainY, sample.Classes, p, Corruptions.LabelNoiseMode.Uniform, Seeds.Derive(seed, "label-noise"));
                (labels, changed) = (noisy.Labels, noisy.FractionChanged);
            }
            results.Add(Fit(solver, sample, labels, p, changed, options, log));
        }
        return results;
    }

    static KernelResult Fit(KernelSolver solver, TheorySample sample, Tensor labels, double noise, double changed, Options options, Action<string>? log)
    {
        using var scope = NewDisposeScope();
        var targets = nn.functional.one_hot(labels, sample.Classes).to_type(ScalarType.Float64);    // (n, c)
        using var solution = solver.Solve(targets, options.MaxRefinements, options.Tolerance);
        log?.Invoke($"label noise {noise:0.##}: solved, relative residual {solution.RelativeResidual:G3} after {solution.Refinements} refinement step(s)");
        double trainError = solution.KAlpha.argmax(1).ne(labels).to_type(ScalarType.Float64).mean().item<double>();
        var clock = Stopwatch.StartNew();
        var scores = KernelMatrix.Multiply(solver.Kernel, sample.TestX, sample.TrainX, solution.Alpha);  // (m, c)
        double testError = scores.argmax(1).ne(sample.TestY).to_type(ScalarType.Float64).mean().item<double>();
        double predictSeconds = clock.Elapsed.TotalSeconds;
        return new KernelResult(sample.Dataset, options.Features, solver.Kernel.Describe(), solver.Kernel.Gamma, sample.N, (int)sample.TestX.shape[0], sample.D, sample.Classes,
            noise, changed, KernelSolver.PrecisionName(solver.Precision), options.Ridge, trainError, testError, solution.RkhsNorm, solution.RelativeResidual,
            solution.Refinements, solver.KernelSeconds, solver.FactorSeconds, solver.FactorSeconds + solution.Seconds, predictSeconds, get_num_threads());
    }
}
