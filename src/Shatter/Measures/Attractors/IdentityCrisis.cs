using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Measures.Attractors;

/// <summary>
/// Zhang, Bengio, Hardt, Mozer and Singer ("Identity crisis: memorization and generalization under extreme
/// overparameterization", ICLR 2020) train a network to reproduce ONE image and find it learns either the identity
/// (generalizes: f(x) ≈ x on new images) or the constant map to the training image (memorizes). This measures which, on
/// new images: the Pearson correlation over pixels of f(x_new) with x_new and with the training image, averaged over
/// the new images (<see cref="IdentityTest"/>). An output with no variance (or an image with none) correlates 0.
/// </summary>
public static class IdentityCrisis
{
    /// <param name="trainingImage">(C, H, W) or (1, C, H, W): the one image f was trained on.</param>
    /// <param name="newImages">(N, C, H, W): images f has not seen.</param>
    public static IdentityTest Test(nn.Module<Tensor, Tensor> f, Tensor trainingImage, Tensor newImages)
    {
        using var scope = NewDisposeScope();
        long n = newImages.shape[0];
        if (n == 0) throw new ShatterException("the identity test needs at least one new image.");
        var train = trainingImage.dim() == newImages.dim() ? trainingImage : trainingImage.unsqueeze(0);
        bool wasTraining = f.training;
        f.eval();
        Tensor output;
        try
        {
            using var noGrad = no_grad();
            output = f.call(newImages);
        }
        finally
        {
            f.train(wasTraining);
        }
        var withInput = Pearson(output, newImages);
        var withTraining = Pearson(output, train.expand_as(newImages));
        return new IdentityTest(withInput.mean().item<double>(), withTraining.mean().item<double>(), (int)n);
    }

    /// <summary>Pearson correlation per image between (N, ...) and (N, ...), float64 (N); 0 where either has no variance.</summary>
    public static Tensor Pearson(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        using Scalar tiny = 1e-24.ToScalar();
        var x = a.flatten(1).to_type(ScalarType.Float64);
        var y = b.flatten(1).to_type(ScalarType.Float64);
        x = x.sub(x.mean([1], keepdim: true));
        y = y.sub(y.mean([1], keepdim: true));
        var covariance = x.mul(y).sum(1);
        var scale = x.mul(x).sum(1).mul(y.mul(y).sum(1)).sqrt();
        var r = where(scale.gt(tiny), covariance.div(scale.clamp_min(tiny)), zeros_like(scale));
        return r.MoveToOuterDisposeScope();
    }
}
