using TorchSharp;
using System.Diagnostics;
using static TorchSharp.torch;

namespace Shatter.Theory;

/// <summary>
/// Minimum-norm interpolation with a kernel: builds K in row blocks, factors K + λI = LLᵀ in place
/// (<see cref="BlockedCholesky"/>), and solves for any targets with iterative refinement: α ← α +
/// (LLᵀ)⁻¹(y − (K + λI)α), the residual formed from kernel blocks recomputed in float64. So a float32
/// factor (the only one that fits in memory at n = 60,000) still yields a float64-accurate α whenever
/// its error is below one (the refinement converges), and the residual it reports is the true one.
/// One factorization serves many targets (a label-noise sweep).
/// </summary>
public sealed class KernelSolver : IDisposable
{
    readonly Tensor factor;
    readonly Action<string>? log;

    public KernelSolver(KernelFunction kernel, Tensor x, ScalarType precision, double ridge = 0, int block = 1024, Action<string>? log = null)
    {
        if (!(ridge >= 0)) throw new ShatterException($"--ridge must be 0 or positive, not {ridge}.");
        if (kernel.Kind == KernelKind.Linear && ridge == 0 && x.shape[0] > x.shape[1])
            throw new ShatterException($"the linear kernel has rank at most d = {x.shape[1]}, so it cannot interpolate {x.shape[0]} points; use at most {x.shape[1]} training points or a --ridge above 0.");
        Kernel = kernel;
        X = x;
        this.log = log;
        Ridge = ridge;
        Precision = precision;
        long n = x.shape[0];
        var clock = Stopwatch.StartNew();
        factor = KernelMatrix.Build(kernel, x, precision, block);
        if (ridge > 0)
            using (var lambda = ridge.ToScalar()) using (var one = 1.ToScalar()) // held for the call (docs/torchsharp.md)
                factor.diagonal().add_(lambda, one);
        KernelSeconds = clock.Elapsed.TotalSeconds;
        log?.Invoke($"kernel {n}×{n} {PrecisionName(precision)} built in {KernelSeconds:F1} s");
        clock.Restart();
        long bad = BlockedCholesky.FactorInPlace(factor, block,
            log is null ? null : f => { if (n >= 20000) log($"factor {f:P0} ({clock.Elapsed.TotalSeconds:F0} s)"); });
        FactorSeconds = clock.Elapsed.TotalSeconds;
        if (bad >= 0)
        {
            factor.Dispose();
            string fix = precision == ScalarType.Float32 ? "use --precision float64 if it fits in memory, or a small --ridge such as 1e-6" : "add a small --ridge such as 1e-6";
            throw new ShatterException($"the {kernel.Kind.ToString().ToLowerInvariant()} kernel matrix is not positive definite in {PrecisionName(precision)} (pivot {bad} of {n}), so it cannot be interpolated exactly; {fix}" +
                (kernel.Kind == KernelKind.Linear ? $", or at most {x.shape[1]} points (its rank)." : "."));
        }
        log?.Invoke($"factored in {FactorSeconds:F1} s");
    }

    public KernelFunction Kernel { get; }
    /// <summary>(n, d) training inputs (not owned).</summary>
    public Tensor X { get; }
    public double Ridge { get; }
    public ScalarType Precision { get; }
    public double KernelSeconds { get; }
    public double FactorSeconds { get; }
    public long N => X.shape[0];

    /// <summary>
    /// float64 when the n×n matrix takes at most half the memory, else float32 when it takes at most
    /// three quarters, else an error; "float32"/"float64" force a precision.
    /// </summary>
    public static ScalarType ChoosePrecision(long n, string precision)
    {
        double total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        double bytes64 = 8.0 * n * n, bytes32 = 4.0 * n * n;
        switch (precision.ToLowerInvariant())
        {
            case "float64" or "double": return ScalarType.Float64;
            case "float32" or "single": return ScalarType.Float32;
            case "auto":
                if (bytes64 <= 0.5 * total) return ScalarType.Float64;
                if (bytes32 <= 0.75 * total) return ScalarType.Float32;
                throw new ShatterException($"the {n}×{n} kernel needs {bytes32 / 1e9:F1} GB even in float32 and this machine has {total / 1e9:F1} GB; choose a smaller --train-size.");
            default:
                throw new ShatterException($"unknown precision '{precision}'; use auto, float32 or float64.");
        }
    }

    public static string PrecisionName(ScalarType t) => t == ScalarType.Float32 ? "float32" : t == ScalarType.Float64 ? "float64" : t.ToString();

    /// <summary>Solves (K + λI)α = y for y (n, c), refining until the relative residual is at most <paramref name="tolerance"/> or <paramref name="maxRefinements"/> steps.</summary>
    public KernelSolution Solve(Tensor y, int maxRefinements = 3, double tolerance = 1e-6)
    {
        if (maxRefinements < 0) throw new ShatterException($"--max-refinements must be 0 or more, not {maxRefinements}.");
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        var y64 = y.to_type(ScalarType.Float64);
        double yNorm = Math.Max(y64.norm().item<double>(), double.Epsilon);
        var alpha = BlockedCholesky.Solve(factor, y64);
        int steps = 0;
        Tensor kAlpha = KernelMatrix.Multiply(Kernel, X, X, alpha);                       // (n, c) float64
        double relative = Residual(y64, alpha, kAlpha, out var residual) / yNorm;
        log?.Invoke($"relative residual {relative:G3} from the factor alone ({clock.Elapsed.TotalSeconds:F0} s)");
        while (relative > tolerance && steps < maxRefinements && double.IsFinite(relative))
        {
            Tensor next;
            using (var one = 1.ToScalar()) next = alpha.add(BlockedCholesky.Solve(factor, residual), one);
            var kNext = KernelMatrix.Multiply(Kernel, X, X, next);
            double nextRelative = Residual(y64, next, kNext, out var nextResidual) / yNorm;
            if (!(nextRelative < relative)) break;                                        // refinement stopped helping: keep the better α
            (alpha, kAlpha, relative, residual) = (next, kNext, nextRelative, nextResidual);
            steps++;
            log?.Invoke($"refinement {steps}: relative residual {relative:G3} ({clock.Elapsed.TotalSeconds:F0} s)");
        }
        return new KernelSolution(alpha.MoveToOuterDisposeScope(), kAlpha.MoveToOuterDisposeScope(), relative, steps, clock.Elapsed.TotalSeconds);
    }

    /// <summary>‖y − (K + λI)α‖_F, and the residual itself.</summary>
    double Residual(Tensor y, Tensor alpha, Tensor kAlpha, out Tensor residual)
    {
        residual = y.sub(kAlpha);
        if (Ridge > 0)
            using (var lambda = Ridge.ToScalar()) residual.sub_(alpha.mul(lambda));
        return residual.norm().item<double>();
    }

    public void Dispose() => factor.Dispose();
}
