using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Training.SemiSupervised;

/// <summary>
/// FixMatch's two views built from what Shatter has, vectorised over a batch (B, C, H, W) of square images.
/// Weak (as google-research/fixmatch's default: mirror, then shift by up to 12.5% of the side with reflect padding):
/// reflect-pad ⌊side/8⌋ pixels, then <see cref="Augmentation.Apply"/>'s random crop back to the side and random flip.
/// Strong: the weak view, then Cutout (one square of side 1 + ⌊0.499·side⌋ at a uniform centre, clipped at the edges,
/// set to 0 — the image mean for whitened images — as the reference's ctaugment cutout at level 1), then Gaussian noise
/// σ (in the data's units). DEPARTURE: the paper's strong view is RandAugment or CTAugment (colour, geometric and
/// contrast operations) before Cutout; Shatter has neither, and Cutout plus noise stands in for them.
/// </summary>
public static class SemiSupervisedAugmentation
{
    /// <summary>Default σ of the strong view's noise (whitened data: a tenth of a pixel's standard deviation).</summary>
    public const double DefaultNoise = 0.1;

    public static Tensor Weak(Tensor batch, Generator generator)
    {
        using var scope = NewDisposeScope();
        long side = Side(batch);
        long pad = side / 8;
        var padded = pad > 0 ? nn.functional.pad(batch, [pad, pad, pad, pad], PaddingModes.Reflect) : batch;
        return Augmentation.Apply(padded, (int)side, crop: true, flip: true, whiten: false, generator).MoveToOuterDisposeScope();
    }

    public static Tensor Strong(Tensor batch, Generator generator, double noise = DefaultNoise)
    {
        using var scope = NewDisposeScope();
        using Scalar sigma = noise.ToScalar(), one = 1.ToScalar();
        var x = Cutout(Weak(batch, generator), generator);
        if (noise > 0) x = x.add(randn(x.shape, generator: generator).to(x.device).mul(sigma), one);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>One zeroed square per image: side 1 + ⌊0.499·min(H, W)⌋, rows [cy − s/2, cy + s/2) ∩ [0, H), likewise columns.</summary>
    public static Tensor Cutout(Tensor batch, Generator generator)
    {
        using var scope = NewDisposeScope();
        long b = batch.shape[0], h = batch.shape[2], w = batch.shape[3];
        long half = (1 + (long)(0.499 * Math.Min(h, w))) / 2;
        var cy = randint(h, [b, 1], generator: generator, dtype: ScalarType.Int64).to(batch.device);
        var cx = randint(w, [b, 1], generator: generator, dtype: ScalarType.Int64).to(batch.device);
        var rows = Runtime.HeldScalars.Arange(h, batch.device).view(1, h);
        var cols = Runtime.HeldScalars.Arange(w, batch.device).view(1, w);
        using Scalar s = half.ToScalar(), minusS = (-half).ToScalar(), one = 1.ToScalar(), zero = 0.0.ToScalar();
        var inRows = rows.ge(cy.add(minusS, one)).logical_and(rows.lt(cy.add(s, one)));      // (B, H)
        var inCols = cols.ge(cx.add(minusS, one)).logical_and(cols.lt(cx.add(s, one)));      // (B, W)
        var mask = inRows.view(b, 1, h, 1).logical_and(inCols.view(b, 1, 1, w));         // (B, 1, H, W)
        return batch.masked_fill(mask, zero).MoveToOuterDisposeScope();
    }

    static long Side(Tensor batch)
    {
        if (batch.dim() != 4 || batch.shape[2] != batch.shape[3])
            throw new ShatterException($"FixMatch's views take square images (B, C, side, side), not {string.Join("×", batch.shape)}; crop them square first.");
        return batch.shape[2];
    }
}
