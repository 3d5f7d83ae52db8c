using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Shatter.Models;

/// <summary>
/// Batch normalization of (B, C, H, W) over (B, H, W), as torch.nn.BatchNorm2d (eps 1e-5, momentum 0.1,
/// running statistics; weight 1 and bias 0 when affine), with the same parameter and buffer names
/// (weight, bias, running_mean, running_var, num_batches_tracked), so saved weights are interchangeable.
/// Why not TorchSharp's: its forward counts batches with <c>num_batches_tracked.add_(1)</c>, an implicit
/// Scalar that a garbage collection can free while libtorch reads it (docs/torchsharp.md); here the 1 is
/// one Scalar held by the module for its whole life.
/// </summary>
public sealed class BatchNorm2d : Module<Tensor, Tensor>
{
    private readonly Parameter? weight;
    private readonly Parameter? bias;
    private readonly Tensor running_mean;
    private readonly Tensor running_var;
    private readonly Tensor num_batches_tracked;
    private readonly Scalar one = 1L.ToScalar();
    private readonly double eps, momentum;

    public BatchNorm2d(long features, bool affine = true, double eps = 1e-5, double momentum = 0.1) : base(nameof(BatchNorm2d))
    {
        if (affine)
        {
            weight = new Parameter(ones(features));
            bias = new Parameter(zeros(features));
        }
        running_mean = zeros(features);
        running_var = ones(features);
        num_batches_tracked = tensor(0L);
        this.eps = eps;
        this.momentum = momentum;
        RegisterComponents();
    }

    /// <summary>The scale (null without affine), for folding into the convolution before (Measures/BatchNormFolding).</summary>
    public Parameter? Weight => weight;
    /// <summary>The shift (null without affine).</summary>
    public Parameter? Bias => bias;
    /// <summary>Running mean (C), the buffer itself: changing it changes the module.</summary>
    public Tensor RunningMean => running_mean;
    /// <summary>Running variance (C), the buffer itself.</summary>
    public Tensor RunningVar => running_var;
    public double Eps => eps;

    public override Tensor forward(Tensor input) => Normalize(input, weight, bias);

    /// <summary>
    /// (x − mean) / √(var + eps) · scale + shift with the batch's statistics in training (updating the
    /// running ones and the batch count) and the running ones in eval mode; <paramref name="scale"/> and
    /// <paramref name="shift"/> may come from outside (Inception's BN without scale, plus its own beta).
    /// </summary>
    public Tensor Normalize(Tensor input, Tensor? scale, Tensor? shift)
    {
        if (input.dim() != 4) throw new ArgumentException($"BatchNorm2d expects (B, C, H, W) input, got {input.dim()} dimensions");
        if (training) num_batches_tracked.add_(one, one);
        return functional.batch_norm(input, running_mean, running_var, scale, shift, training, momentum, eps);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) one.Dispose();
        base.Dispose(disposing);
    }
}
