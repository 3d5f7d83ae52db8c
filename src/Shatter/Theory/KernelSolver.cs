using TorchSharp;
using System.Diagnostics;
using static TorchSharp.torch;

namespace Shatter.Theory;

/// <summary>
/// Minimum-norm interpolation with a kernel: builds the lower block triangle of K (the only half a
/// Cholesky factor reads), factors K + λI = LLᵀ, and solves for any targets with iterative refinement:
/// α ← α + (LLᵀ)⁻¹(y − (K + λI)α), the residual formed in float64 — from the stored float64 K
/// (<see cref="KernelPrecision.Mixed"/>) or from kernel blocks recomputed from the data (float64 and
/// float32 factors, which overwrite K). So a float32 factor still yields a float64-accurate α whenever
/// its error is below one (the refinement converges), and the residual it reports is the true one.
/// One factorization serves many targets (a label-noise sweep).
/// </summary>
public sealed class KernelSolver : IDisposable
{
    /// <summary>Mixed precision: refinement stops once a step no longer shrinks the residual this much, or at <see cref="MixedFloor"/>.</summary>
    const double MixedProgress = 0.5;
    /// <summary>
    /// Mixed precision: refinement stops at this relative residual. A float64 factor reaches 2e-13 at n = 10,000.
    /// </summary>
    const double MixedFloor = 1e-11;
    /// <summary>
    /// Mixed precision: refinement also stops (once the residual is within the tolerance) when α's estimated distance
    /// from the exact solution, in the norm of K + λI, is at most this share of its RKHS norm — ten times below the 1e-6
    /// agreement asked of the RKHS norm (bench/kernel.sh). At n = 10,000 that is after one step (2e-8, residual 5e-9):
    /// the second step, a solve and a pass over the stored K, changed the RKHS norm by less than that.
    /// </summary>
    const double MixedNormError = 1e-7;
    /// <summary>Mixed precision: refinement steps at most before falling back to a float64 factor.</summary>
    const int MixedMaxSteps = 12;
    /// <summary>The alpha of α + δ, held for the process (an implicit 1 could be freed mid-call: docs/torchsharp.md).</summary>
    static readonly Scalar One = 1.ToScalar();

    readonly Tensor factor;
    /// <summary>Mixed precision only: K + λI in float64, whole (built as its lower block triangle, mirrored after the float32 cast).</summary>
    readonly Tensor? stored;
    /// <summary>Mixed precision only: the float64 factor of <see cref="stored"/>, made when the float32 one did not converge.</summary>
    Tensor? factor64;
    readonly int block;
    readonly Action<string>? log;

    public KernelSolver(KernelFunction kernel, Tensor x, KernelPrecision precision, double ridge = 0, int block = 1024, Action<string>? log = null)
    {
        if (!(ridge >= 0)) throw new ShatterException($"--ridge must be 0 or positive, not {ridge}.");
        if (kernel.Kind == KernelKind.Linear && ridge == 0 && x.shape[0] > x.shape[1])
            throw new ShatterException($"the linear kernel has rank at most d = {x.shape[1]}, so it cannot interpolate {x.shape[0]} points; use at most {x.shape[1]} training points or a --ridge above 0.");
        Kernel = kernel;
        X = x;
        this.log = log;
        this.block = block;
        Ridge = ridge;
        Precision = precision;
        long n = x.shape[0];
        var clock = Stopwatch.StartNew();
        var built = KernelMatrix.BuildLower(kernel, x, precision == KernelPrecision.Float32 ? ScalarType.Float32 : ScalarType.Float64, block);
        if (ridge > 0)
        {
            using Scalar r = ridge.ToScalar(), one = 1.ToScalar(); // held for the call (docs/torchsharp.md)
            built.diagonal().add_(r, one);
        }
        KernelSeconds = clock.Elapsed.TotalSeconds;
        log?.Invoke($"kernel {n}×{n} {(precision == KernelPrecision.Float32 ? "float32" : "float64")} (lower block triangle) built in {KernelSeconds:F1} s");
        clock.Restart();
        long bad;
        if (precision == KernelPrecision.Mixed)
        {
            stored = built;
            using var single = built.to_type(ScalarType.Float32);
            KernelMatrix.MirrorLower(stored, block);                                      // products with K: one GEMM each
            var (l, info) = linalg.cholesky_ex(single);                                   // LAPACK potrf: reads the lower triangle
            using (info)
            {
                int first = info.item<int>();
                bad = first > 0 ? first - 1 : -1;
            }
            factor = l;
        }
        else
        {
            factor = built;
            bad = BlockedCholesky.FactorInPlace(factor, block,
                log is null ? null : f => { if (n >= 20000) log($"factor {f:P0} ({clock.Elapsed.TotalSeconds:F0} s)"); });
        }
        if (bad >= 0 && precision == KernelPrecision.Mixed)
        {
            log?.Invoke($"the float32 factor has a non-positive pivot ({bad} of {n}); factoring in float64");
            factor.Dispose();
            factor = Factor64(stored!, out bad);
            factor64 = factor;
        }
        FactorSeconds = clock.Elapsed.TotalSeconds;
        if (bad >= 0)
        {
            factor.Dispose();
            stored?.Dispose();
            string fix = precision == KernelPrecision.Float32 ? "use --precision float64 if it fits in memory, or a small --ridge such as 1e-6" : "add a small --ridge such as 1e-6";
            throw new ShatterException($"the {kernel.Kind.ToString().ToLowerInvariant()} kernel matrix is not positive definite in {PrecisionName(precision)} (pivot {bad} of {n}), so it cannot be interpolated exactly; {fix}" +
                (kernel.Kind == KernelKind.Linear ? $", or at most {x.shape[1]} points (its rank)." : "."));
        }
        log?.Invoke($"factored in {FactorSeconds:F1} s");
    }

    public KernelFunction Kernel { get; }
    /// <summary>(n, d) training inputs (not owned).</summary>
    public Tensor X { get; }
    public double Ridge { get; }
    public KernelPrecision Precision { get; }
    public double KernelSeconds { get; }
    /// <summary>Seconds of the factorization, plus those of a float64 fallback factor made later by <see cref="Solve"/>.</summary>
    public double FactorSeconds { get; private set; }
    public long N => X.shape[0];

    /// <summary>
    /// Mixed when K in float64 with its float32 factor (16n² bytes at the peak) takes at most half the
    /// memory, else float64 when K takes at most half, else float32 when it takes at most three quarters,
    /// else an error; "mixed"/"float32"/"float64" force a precision.
    /// </summary>
    public static KernelPrecision ChoosePrecision(long n, string precision)
    {
        double total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        double bytes64 = 8.0 * n * n, bytes32 = 4.0 * n * n;
        switch (precision.ToLowerInvariant())
        {
            case "mixed": return KernelPrecision.Mixed;
            case "float64" or "double": return KernelPrecision.Float64;
            case "float32" or "single": return KernelPrecision.Float32;
            case "auto":
                if (bytes64 + 2 * bytes32 <= 0.5 * total) return KernelPrecision.Mixed;
                if (bytes64 <= 0.5 * total) return KernelPrecision.Float64;
                if (bytes32 <= 0.75 * total) return KernelPrecision.Float32;
                throw new ShatterException($"the {n}×{n} kernel needs {bytes32 / 1e9:F1} GB even in float32 and this machine has {total / 1e9:F1} GB; choose a smaller --train-size.");
            default:
                throw new ShatterException($"unknown precision '{precision}'; use auto, mixed, float32 or float64.");
        }
    }

    public static string PrecisionName(KernelPrecision p) => p switch
    {
        KernelPrecision.Float32 => "float32",
        KernelPrecision.Float64 => "float64",
        _ => "mixed",
    };

    /// <summary>
    /// Solves (K + λI)α = y for y (n, c). Float64 and float32 factors refine until the relative residual is
    /// at most <paramref name="tolerance"/> or <paramref name="maxRefinements"/> steps. Mixed precision
    /// refines further, as long as each step at least halves the residual (down to 1e-11), and takes a float64 factor when the float32 one does not reach the tolerance.
    /// </summary>
    public KernelSolution Solve(Tensor y, int maxRefinements = 3, double tolerance = 1e-6)
    {
        if (maxRefinements < 0) throw new ShatterException($"--max-refinements must be 0 or more, not {maxRefinements}.");
        var clock = Stopwatch.StartNew();
        bool mixed = stored is not null && factor64 is null;
        var solution = SolveWith(factor64 ?? factor, mixed, y, maxRefinements, tolerance);
        if (!mixed || solution.RelativeResidual <= tolerance) return solution with { Seconds = clock.Elapsed.TotalSeconds };
        log?.Invoke($"the float32 factor stopped at relative residual {solution.RelativeResidual:G3}; factoring in float64");
        solution.Dispose();
        var factorClock = Stopwatch.StartNew();
        factor64 = Factor64(stored!, out long bad);
        factorClock.Stop();
        FactorSeconds += factorClock.Elapsed.TotalSeconds;
        if (bad >= 0) throw new ShatterException($"the {Kernel.Kind.ToString().ToLowerInvariant()} kernel matrix is not positive definite in float64 (pivot {bad} of {N}), so it cannot be interpolated exactly; add a small --ridge such as 1e-6.");
        double fallback = factorClock.Elapsed.TotalSeconds;                               // counted in FactorSeconds, not twice
        return SolveWith(factor64, false, y, maxRefinements, tolerance) with { Seconds = clock.Elapsed.TotalSeconds - fallback };
    }

    KernelSolution SolveWith(Tensor active, bool mixed, Tensor y, int maxRefinements, double tolerance)
    {
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        var y64 = y.to_type(ScalarType.Float64);
        double yNorm = Math.Max(y64.norm().item<double>(), double.Epsilon);
        var alpha = BlockedCholesky.Solve(active, y64);
        int steps = 0;
        Tensor system = ApplySystem(alpha);                                               // (K + λI)α, (n, c) float64
        double relative = Residual(y64, system, out var residual) / yNorm;
        log?.Invoke($"relative residual {relative:G3} from the {(active.dtype == ScalarType.Float32 ? "float32" : "float64")} factor alone ({clock.Elapsed.TotalSeconds:F1} s)");
        int limit = mixed ? Math.Max(maxRefinements, MixedMaxSteps) : maxRefinements;
        while (steps < limit && double.IsFinite(relative) && (mixed ? relative > MixedFloor : relative > tolerance))
        {
            var delta = BlockedCholesky.Solve(active, residual);                         // ≈ (K + λI)⁻¹r = α* − α, α's error
            if (mixed && relative <= tolerance)
            {
                // ‖α − α*‖ in the norm of K + λI is √(rᵀ(K + λI)⁻¹r) ≈ √(rᵀδ), and it bounds how far α's RKHS norm can
                // be from the exact solution's: once that is MixedNormError of the norm, another step changes nothing reported
                double error = Math.Sqrt(Math.Max(0, residual.mul(delta).sum().item<double>()));
                double norm = Math.Sqrt(Math.Max(0, alpha.mul(system).sum().item<double>()));
                if (error <= MixedNormError * norm)
                {
                    log?.Invoke($"the RKHS norm is within {error / norm:G2} (relative) of the exact solution's; refinement stops");
                    break;
                }
            }
            var next = alpha.add(delta, One);
            var nextSystem = ApplySystem(next);
            double nextRelative = Residual(y64, nextSystem, out var nextResidual) / yNorm;
            if (!(nextRelative < relative)) break;                                        // refinement stopped helping: keep the better α
            bool slow = nextRelative > MixedProgress * relative;
            (alpha, system, relative, residual) = (next, nextSystem, nextRelative, nextResidual);
            steps++;
            log?.Invoke($"refinement {steps}: relative residual {relative:G3} ({clock.Elapsed.TotalSeconds:F1} s)");
            if (mixed && slow && relative <= tolerance) break;                            // converged as far as the float64 data allow
        }
        var kAlpha = system;
        if (Ridge > 0)
        {
            using var r = Ridge.ToScalar();
            kAlpha = system.sub(alpha.mul(r));
        }
        return new KernelSolution(alpha.MoveToOuterDisposeScope(), kAlpha.MoveToOuterDisposeScope(), relative, steps, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The float64 factor of the stored K, out of place (K stays for the residuals); bad = first non-positive pivot or −1.</summary>
    static Tensor Factor64(Tensor k, out long bad)
    {
        var (l, info) = linalg.cholesky_ex(k);
        using (info)
        {
            int first = info.item<int>();
            bad = first > 0 ? first - 1 : -1;
        }
        return l;
    }

    /// <summary>(K + λI)α, (n, c) float64: from the stored float64 K, else from kernel blocks recomputed from the data.</summary>
    Tensor ApplySystem(Tensor alpha)
    {
        if (stored is not null) return stored.matmul(alpha);
        var product = KernelMatrix.Multiply(Kernel, X, X, alpha);
        if (Ridge > 0)
        {
            using var r = Ridge.ToScalar();
            product.add_(alpha, r);
        }
        return product;
    }

    /// <summary>‖y − (K + λI)α‖_F, and the residual itself.</summary>
    static double Residual(Tensor y, Tensor system, out Tensor residual)
    {
        residual = y.sub(system);
        return residual.norm().item<double>();
    }

    public void Dispose()
    {
        factor.Dispose();
        if (factor64 is not null && !ReferenceEquals(factor64, factor)) factor64.Dispose();
        stored?.Dispose();
    }
}
