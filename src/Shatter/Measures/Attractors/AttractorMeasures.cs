using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Measures.Attractors;

/// <summary>
/// Whether a trained map f (an autoencoder, (B, C, H, W) -> (B, C, H, W)) stores its training images as attractors,
/// after Radhakrishnan, Belkin and Uhler ("Overparameterized neural networks implement associative memory", PNAS 2020):
/// which training images are fixed points (f(x) ≈ x), which of those are attractors (the Jacobian's spectral radius at x
/// below 1, <see cref="JacobianSpectrum"/>), whether iterating from a perturbed copy returns to x, and where iterating
/// from random starts lands (<see cref="AttractorReport"/>; tolerances in <see cref="AttractorOptions"/>).
/// f runs in eval mode (restored afterwards); images are processed in chunks of <see cref="Chunk"/>.
/// </summary>
public static class AttractorMeasures
{
    public const int Chunk = 256;

    public static AttractorReport Measure(nn.Module<Tensor, Tensor> f, Tensor training, AttractorOptions options)
    {
        options.Validate();
        long n = training.shape[0];
        if (n == 0) throw new ShatterException("the attractor measures need at least one training image.");
        bool wasTraining = f.training;
        f.eval();
        try
        {
            using var generator = new Generator((ulong)options.Seed);
            var residual = new List<double>();
            var radius = new List<double>();
            var recovered = new List<bool>();
            for (long start = 0; start < n; start += Chunk)
            {
                using var scope = NewDisposeScope();
                var x = training.narrow(0, start, Math.Min(Chunk, n - start));
                using (no_grad()) residual.AddRange(MapIteration.RelativeDistance(f.call(x), x));
                radius.AddRange(JacobianSpectrum.TopEigenvalueModulus(f, x, options.PowerIterations, generator));
                var end = MapIteration.Iterate(f, Perturb(x, options.Perturbation, generator), options.Iterations);
                recovered.AddRange(MapIteration.RelativeDistance(end, x).Select(d => d <= options.Tolerance));
            }
            var fixedPoint = residual.Select(r => r <= options.Tolerance).ToArray();
            var attractor = fixedPoint.Zip(radius, (isFixed, rho) => isFixed && rho < 1).ToArray();
            var (landed, distinct, elsewhere) = RandomStarts(f, training, options, generator);
            return new AttractorReport(residual.ToArray(), fixedPoint, radius.ToArray(), attractor, recovered.ToArray(),
                options.RandomStarts, landed, distinct, elsewhere, options);
        }
        finally
        {
            f.train(wasTraining);
        }
    }

    /// <summary>x + σ·(‖x‖/√d)·ε per image, ε ~ N(0, I): noise at σ times the image's RMS.</summary>
    public static Tensor Perturb(Tensor x, double sigma, Generator generator)
    {
        using var scope = NewDisposeScope();
        using Scalar s = sigma.ToScalar(), one = 1.ToScalar();
        long n = x.shape[0], d = x[0].numel();
        using Scalar rootD = Math.Sqrt(d).ToScalar();
        var rms = x.flatten(1).norm(1).div(rootD).view(Shape(n, x.dim()));
        var noise = randn(x.shape, generator: generator).to(x.device);
        return x.add(noise.mul(rms).mul(s), one).MoveToOuterDisposeScope();
    }

    static (int Landed, int Distinct, int Elsewhere) RandomStarts(nn.Module<Tensor, Tensor> f, Tensor training, AttractorOptions options, Generator generator)
    {
        if (options.RandomStarts == 0) return (0, 0, 0);
        using var scope = NewDisposeScope();
        using Scalar one = 1.ToScalar();
        var pixels = training.to_type(ScalarType.Float64);
        using Scalar mean = pixels.mean().item<double>().ToScalar(), std = pixels.std().item<double>().ToScalar();
        var shape = training.shape.ToArray();
        shape[0] = options.RandomStarts;
        var starts = randn(shape, generator: generator).mul(std).add(mean, one).to_type(training.dtype).to(training.device);
        var before = MapIteration.Iterate(f, starts, options.Iterations - 1);
        var end = MapIteration.Iterate(f, before, 1);
        var (index, distance) = MapIteration.Nearest(end, training);
        var moved = MapIteration.RelativeDistance(before, end);
        int landed = 0, elsewhere = 0;
        var reached = new HashSet<long>();
        for (int i = 0; i < distance.Length; i++)
        {
            if (distance[i] <= options.Tolerance)
            {
                landed++;
                reached.Add(index[i]);
            }
            else if (moved[i] <= options.Tolerance) elsewhere++;
        }
        return (landed, reached.Count, elsewhere);
    }

    static long[] Shape(long n, long dims)
    {
        var shape = new long[dims];
        Array.Fill(shape, 1L);
        shape[0] = n;
        return shape;
    }
}
