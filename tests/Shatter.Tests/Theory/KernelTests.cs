using Shatter.Theory;
using static TorchSharp.torch;

namespace Shatter.Tests.Theory;

public sealed class KernelTests
{
    [Fact]
    public void Gaussian_kernel_block_matches_hand_computed_entries()
    {
        using var x = tensor(new double[] { 0, 0, 1, 2 }, [2, 2]);
        using var z = tensor(new double[] { 1, 0, 0, 0, 3, 4 }, [3, 2]);
        var kernel = new KernelFunction(KernelKind.Gaussian, 0.5);
        using var k = kernel.Block(x, z);
        // ‖x − z‖²: (0,0)-(1,0)=1, (0,0)-(0,0)=0, (0,0)-(3,4)=25, (1,2)-(1,0)=4, (1,2)-(0,0)=5, (1,2)-(3,4)=8
        double[] expected = [Math.Exp(-0.5), 1, Math.Exp(-12.5), Math.Exp(-2), Math.Exp(-2.5), Math.Exp(-4)];
        var actual = k.data<double>().ToArray();
        for (int i = 0; i < 6; i++) Assert.Equal(expected[i], actual[i], 12);
    }

    [Fact]
    public void Linear_and_polynomial_kernels_match_hand_computed_entries()
    {
        using var x = tensor(new double[] { 1, 2 }, [1, 2]);
        using var z = tensor(new double[] { 3, -1 }, [1, 2]);
        using var linear = new KernelFunction(KernelKind.Linear, 1).Block(x, z);
        using var poly = new KernelFunction(KernelKind.Polynomial, 0.5, 3, 1).Block(x, z);
        Assert.Equal(1.0, linear.item<double>(), 12);                    // 3 − 2
        Assert.Equal(Math.Pow(0.5 * 1 + 1, 3), poly.item<double>(), 12);  // (½·1 + 1)³
    }

    [Fact]
    public void Blocked_cholesky_in_place_matches_torch_cholesky_and_solves()
    {
        using var gen = new Generator(3);
        using var m = randn(300, 310, dtype: ScalarType.Float64, generator: gen);
        using var spd = m.matmul(m.t()).add_(eye(300, dtype: ScalarType.Float64));
        using var reference = linalg.cholesky(spd);
        using var factor = spd.clone();
        Assert.Equal(-1, BlockedCholesky.FactorInPlace(factor, 64));
        using var lower = factor.tril();
        Assert.True(lower.sub(reference).abs().max().item<double>() < 1e-9);
        using var rhs = randn(300, 3, dtype: ScalarType.Float64, generator: gen);
        using var x = BlockedCholesky.Solve(factor, rhs);
        Assert.True(spd.matmul(x).sub(rhs).norm().item<double>() / rhs.norm().item<double>() < 1e-10);
    }

    [Fact]
    public void Lower_block_triangle_matches_the_full_kernel_multiplies_like_it_and_mirrors_into_it()
    {
        using var gen = new Generator(5);
        using var x = rand(70, 6, dtype: ScalarType.Float64, generator: gen);
        using var alpha = randn(70, 3, dtype: ScalarType.Float64, generator: gen);
        var kernel = new KernelFunction(KernelKind.Gaussian, 0.3);
        using var full = KernelMatrix.Build(kernel, x, ScalarType.Float64, blockRows: 16);
        using var lower = KernelMatrix.BuildLower(kernel, x, ScalarType.Float64, blockRows: 16);
        using var fullLower = full.tril();
        using var storedLower = lower.tril();
        Assert.True(storedLower.sub(fullLower).abs().max().item<double>() < 1e-14);
        Assert.Equal(0, lower.narrow(0, 0, 16).narrow(1, 16, 54).abs().max().item<double>());   // right of the first diagonal block: not computed
        using var expected = full.matmul(alpha);
        using var product = KernelMatrix.MultiplyLower(lower, alpha, blockRows: 16);
        Assert.True(product.sub(expected).abs().max().item<double>() < 1e-12);
        KernelMatrix.MirrorLower(lower, blockRows: 16);
        Assert.True(lower.sub(full).abs().max().item<double>() < 1e-14);                         // the whole symmetric K
    }

    [Fact]
    public void Mixed_precision_reaches_the_float64_solution()
    {
        using var sample = TheorySample.Load("fashion-mnist", null, 600, 300, 0, 3);
        var kernel = KernelFunction.Create(KernelKind.Gaussian, null, 3, 1, sample.D);
        var float64 = KernelExperiment.Run(sample, kernel, [0.0, 1.0], 3, new KernelExperiment.Options("float64")).ToArray();
        var mixed = KernelExperiment.Run(sample, kernel, [0.0, 1.0], 3, new KernelExperiment.Options("mixed")).ToArray();
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal("mixed", mixed[i].Precision);
            Assert.True(mixed[i].Refinements >= 1, "a float32 factor alone does not reach the float64 residual");
            Assert.True(mixed[i].RelativeResidual < 1e-6, $"relative residual {mixed[i].RelativeResidual}");  // within --tolerance
            Assert.Equal(float64[i].TestError, mixed[i].TestError);
            Assert.Equal(float64[i].TrainError, mixed[i].TrainError);
            // refinement stops once α's estimated error is 1e-7 of its RKHS norm (KernelSolver.MixedNormError)
            Assert.True(Math.Abs(mixed[i].RkhsNorm / float64[i].RkhsNorm - 1) < 1e-7, $"RKHS norm {mixed[i].RkhsNorm} vs {float64[i].RkhsNorm}");
        }
    }

    [Fact]
    public void Blocked_cholesky_reports_the_first_pivot_that_is_not_positive()
    {
        using var m = diag(tensor(new double[] { 4, 1, 2, -1, 3 }));
        Assert.Equal(3, BlockedCholesky.FactorInPlace(m, 2));
    }

    [Fact]
    public void Interpolation_on_a_small_subset_has_zero_training_error_and_a_tiny_residual()
    {
        using var sample = TheorySample.Load("fashion-mnist", null, 300, 200, 0, 1);
        var kernel = KernelFunction.Create(KernelKind.Gaussian, null, 3, 1, sample.D);
        var result = KernelExperiment.Run(sample, kernel, [0.0], 1, new KernelExperiment.Options()).Single();
        Assert.Equal(0.02, result.Bandwidth);
        Assert.Equal(0, result.TrainError);
        Assert.True(result.RelativeResidual < 1e-10, $"relative residual {result.RelativeResidual}");
        Assert.InRange(result.TestError, 0.05, 0.5);
        Assert.Equal("mixed", result.Precision);
    }

    [Fact]
    public void Float32_factor_with_refinement_reaches_a_float64_residual()
    {
        using var sample = TheorySample.Load("fashion-mnist", null, 500, 100, 0, 2);
        var kernel = KernelFunction.Create(KernelKind.Gaussian, null, 3, 1, sample.D);
        var noRefinement = KernelExperiment.Run(sample, kernel, [0.0], 2, new KernelExperiment.Options("float32", MaxRefinements: 0)).Single();
        var refined = KernelExperiment.Run(sample, kernel, [0.0], 2, new KernelExperiment.Options("float32", MaxRefinements: 4, Tolerance: 1e-12)).Single();
        Assert.Equal("float32", refined.Precision);
        Assert.True(refined.Refinements >= 1);
        Assert.True(refined.RelativeResidual < noRefinement.RelativeResidual / 10, $"{refined.RelativeResidual} vs {noRefinement.RelativeResidual}");
        Assert.True(refined.RelativeResidual < 1e-9, $"relative residual {refined.RelativeResidual}");
    }

    [Fact]
    public void Random_labels_need_a_larger_rkhs_norm_and_generalize_worse_than_true_labels()
    {
        using var sample = TheorySample.Load("fashion-mnist", null, 400, 300, 0, 4);
        var kernel = KernelFunction.Create(KernelKind.Gaussian, null, 3, 1, sample.D);
        var results = KernelExperiment.Run(sample, kernel, [0.0, 1.0], 4, new KernelExperiment.Options());
        Assert.Equal(0, results[1].TrainError);
        Assert.True(results[1].RkhsNorm > 1.2 * results[0].RkhsNorm, $"{results[1].RkhsNorm} vs {results[0].RkhsNorm}");
        Assert.True(results[1].TestError > results[0].TestError + 0.3);
        Assert.True(results[1].FractionChanged > 0.8);
    }

    [Fact]
    public void Linear_kernel_with_more_points_than_dimensions_is_a_one_sentence_error()
    {
        using var x = randn(20, 5, dtype: ScalarType.Float32);
        var e = Assert.Throws<ShatterException>(() => new KernelSolver(new KernelFunction(KernelKind.Linear, 1), x, KernelPrecision.Float64));
        Assert.Contains("rank at most d = 5", e.Message);
    }

    [Fact]
    public void Random_conv_features_have_the_pixels_mean_squared_norm()
    {
        using var sample = TheorySample.Load("fashion-mnist", null, 50, 20, 0, 1);
        var (train, test) = RandomConvFeatures.Transform(sample.TrainX, sample.TestX, sample.ImageShape, 8, 1, pool: 4);
        using (train)
        using (test)
        {
            Assert.Equal(new long[] { 50, 8 * 7 * 7 }, train.shape);
            Assert.Equal(new long[] { 20, 8 * 7 * 7 }, test.shape);
            double pixels = sample.TrainX.square().sum(1).mean().item<float>();
            double features = train.square().sum(1).mean().item<float>();
            Assert.Equal(1.0, features / pixels, 4);
        }
    }
}
