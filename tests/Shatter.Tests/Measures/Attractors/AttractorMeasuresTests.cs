using Shatter.Measures.Attractors;
using Shatter.Models;
using Shatter.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Tests.Measures.Attractors;

/// <summary>The attractor measures on maps whose answer is known in closed form.</summary>
[Collection(SerialTorchRandom.Name)]
public sealed class AttractorMeasuresTests
{
    // Images are 1×2×2 (d = 4). p is the "training image" each linear map is built to fix: b = (I − A)p.
    static readonly double[] P = [1.0, -2.0, 0.5, 3.0];

    /// <summary>A = Q·diag(λ)·Qᵀ for an orthonormal Q (a 4×4 Hadamard matrix / 2): symmetric, eigenvalues λ.</summary>
    static double[,] Symmetric(params double[] lambda)
    {
        double[,] h = { { 1, 1, 1, 1 }, { 1, -1, 1, -1 }, { 1, 1, -1, -1 }, { 1, -1, -1, 1 } };
        var a = new double[4, 4];
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                for (int k = 0; k < 4; k++)
                    a[i, j] += h[i, k] / 2 * lambda[k] * h[j, k] / 2;
        return a;
    }

    static LinearMap Fixing(double[,] a, double[] p)
    {
        var b = new double[4];
        for (int i = 0; i < 4; i++)
        {
            b[i] = p[i];
            for (int j = 0; j < 4; j++) b[i] -= a[i, j] * p[j];
        }
        return new LinearMap(a, b);
    }

    static Tensor Image(double[] p) => tensor(p.Select(v => (float)v).ToArray(), [1, 1, 2, 2]);

    [Fact]
    public void A_contracting_linear_map_makes_its_fixed_point_an_attractor_that_every_start_reaches()
    {
        using var f = Fixing(Symmetric(0.5, 0.3, -0.2, 0.1), P);
        using var p = Image(P);
        var report = AttractorMeasures.Measure(f, p, new AttractorOptions(RandomStarts: 50, Seed: 1));
        Assert.True(report.Residual[0] < 1e-6, $"residual {report.Residual[0]}");
        Assert.Equal([true], report.FixedPoint);
        Assert.Equal(0.5, report.SpectralRadius[0], 1e-4);
        Assert.Equal([true], report.Attractor);
        Assert.Equal([true], report.Recovered);
        Assert.Equal(50, report.LandedOnTraining); // 0.5¹⁰⁰: every start ends on p
        Assert.Equal(1, report.DistinctImagesReached);
        Assert.Equal(0, report.ConvergedElsewhere);
    }

    [Fact]
    public void An_expanding_direction_makes_the_fixed_point_a_repeller_that_no_start_reaches()
    {
        using var f = Fixing(Symmetric(1.5, 0.3, -0.2, 0.1), P);
        using var p = Image(P);
        var report = AttractorMeasures.Measure(f, p, new AttractorOptions(Iterations: 30, RandomStarts: 20, Seed: 1));
        Assert.Equal([true], report.FixedPoint);           // still a fixed point...
        Assert.Equal(1.5, report.SpectralRadius[0], 1e-4);
        Assert.Equal([false], report.Attractor);           // ...but not an attractor
        Assert.Equal([false], report.Recovered);           // a perturbed copy runs away (1.5³⁰)
        Assert.Equal(0, report.LandedOnTraining);
        Assert.Equal(0, report.ConvergedElsewhere);
    }

    [Fact]
    public void The_spectral_radius_of_a_non_normal_map_with_a_complex_dominant_pair_matches_its_eigenvalues()
    {
        // A = S·B·S⁻¹, B = [[0.8cos1, −0.8sin1], [0.8sin1, 0.8cos1]] ⊕ diag(0.3, −0.1), S non-orthogonal: ‖Av‖/‖v‖ oscillates
        double c = 0.8 * Math.Cos(1), s = 0.8 * Math.Sin(1);
        using var bm = tensor(new[] { c, -s, 0, 0, s, c, 0, 0, 0, 0, 0.3, 0, 0, 0, 0, -0.1 }, [4, 4]);
        using var sm = tensor(new[] { 1, 2, 0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 2.0 }, [4, 4]);
        using var am = sm.matmul(bm).matmul(linalg.inv(sm));
        var a = new double[4, 4];
        var values = am.data<double>().ToArray();
        for (int i = 0; i < 16; i++) a[i / 4, i % 4] = values[i];
        using var f = Fixing(a, P);
        using var p = Image(P);
        using var eigenvalues = linalg.eigvals(am);
        double expected = eigenvalues.abs().max().item<double>();   // LAPACK's, independently: 0.8
        Assert.Equal(0.8, expected, 1e-9);
        using var generator = new Generator(5);
        var radius = JacobianSpectrum.TopEigenvalueModulus(f, p, 200, generator);
        Assert.Equal(expected, radius[0], 0.02);
    }

    [Fact]
    public void The_identity_fixes_every_image_but_attracts_none_and_every_start_stays_where_it_began()
    {
        using var f = new IdentityMap();
        torch.manual_seed(1);
        using var images = randn(5, 1, 3, 3);
        var report = AttractorMeasures.Measure(f, images, new AttractorOptions(Iterations: 10, RandomStarts: 30, Seed: 2));
        Assert.All(report.FixedPoint, Assert.True);
        Assert.All(report.SpectralRadius, r => Assert.Equal(1.0, r, 1e-5));
        Assert.All(report.Attractor, Assert.False);      // radius 1 is not below 1
        Assert.All(report.Recovered, Assert.False);      // a perturbation of 10% RMS is never undone
        Assert.Equal(0, report.LandedOnTraining);
        Assert.Equal(30, report.ConvergedElsewhere);     // every random start is a (spurious) fixed point
    }

    [Fact]
    public void A_constant_map_onto_one_training_image_makes_it_the_only_attractor_and_pulls_every_start_to_it()
    {
        torch.manual_seed(2);
        using var images = randn(4, 1, 3, 3);
        using var f = new ConstantMap(images[2]);
        var report = AttractorMeasures.Measure(f, images, new AttractorOptions(Iterations: 3, RandomStarts: 25, Seed: 3));
        Assert.Equal([false, false, true, false], report.FixedPoint);
        Assert.All(report.SpectralRadius, r => Assert.Equal(0.0, r));
        Assert.Equal([false, false, true, false], report.Attractor);
        Assert.Equal([false, false, true, false], report.Recovered);
        Assert.Equal(25, report.LandedOnTraining);
        Assert.Equal(1, report.DistinctImagesReached);
        Assert.Equal(0.25, report.AttractorShare);
    }

    [Fact]
    public void Power_iteration_on_a_small_network_agrees_with_the_eigenvalues_of_its_full_jacobian()
    {
        torch.manual_seed(9);
        using var f = ModelRegistry.CreateAutoencoder("ae-mlp-32", (1, 3, 3));
        f.eval();
        using var x = randn(1, 1, 3, 3);
        using var jacobian = autograd.functional.jacobian(v => f.call(v.view(1, 1, 3, 3)).flatten(), x.flatten()); // (9, 9), autograd row by row
        using var eigenvalues = linalg.eigvals(jacobian.to_type(ScalarType.Float64));
        double expected = eigenvalues.abs().max().item<double>();
        using var generator = new Generator(1);
        var radius = JacobianSpectrum.TopEigenvalueModulus(f, x, 400, generator);
        Assert.Equal(expected, radius[0], 0.03 * expected);
    }

    [Fact]
    public void Measuring_leaves_no_live_tensors_behind()
    {
        torch.manual_seed(6);
        using var f = ModelRegistry.CreateAutoencoder("ae-mlp-16", (1, 3, 3));
        using var images = randn(5, 1, 3, 3);
        var options = new AttractorOptions(PowerIterations: 4, Iterations: 3, RandomStarts: 4);
        AttractorMeasures.Measure(f, images, options);
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        AttractorMeasures.Measure(f, images, options);
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Perturbations_have_the_asked_relative_size()
    {
        torch.manual_seed(3);
        using var images = randn(200, 1, 8, 8).mul(3);
        using var generator = new Generator(4);
        using var noisy = AttractorMeasures.Perturb(images, 0.1, generator);
        var distance = MapIteration.RelativeDistance(noisy, images); // ‖σ·rms·ε‖/‖x‖ = σ·‖ε‖/√d ≈ σ
        Assert.InRange(distance.Average(), 0.095, 0.105);
    }

    [Fact]
    public void Bad_options_are_one_sentence_errors()
    {
        using var f = new IdentityMap();
        using var images = zeros(0, 1, 2, 2);
        Assert.Contains("at least one training image", Assert.Throws<ShatterException>(() => AttractorMeasures.Measure(f, images, new AttractorOptions())).Message);
        Assert.Contains("tolerance", Assert.Throws<ShatterException>(() => new AttractorOptions(Tolerance: 0).Validate()).Message);
        Assert.Contains("power iteration", Assert.Throws<ShatterException>(() => new AttractorOptions(PowerIterations: 1).Validate()).Message);
    }
}
