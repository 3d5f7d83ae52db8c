using TorchSharp;
using Shatter.Runtime;
using static TorchSharp.torch;

namespace Shatter.Training;

/// <summary>
/// The paper's augmentation, vectorised over a batch: a random side×side crop (in place of the centre
/// crop) and a random horizontal flip, then per-image whitening.
/// </summary>
public static class Augmentation
{
    /// <summary>(B, C, H, W) → (B, C, side, side).</summary>
    public static Tensor Apply(Tensor batch, int side, bool crop, bool flip, bool whiten, Generator gen)
    {
        using var scope = NewDisposeScope();
        using Scalar one = 1.ToScalar(), half = 0.5.ToScalar(); // held for the calls (docs/torchsharp.md)
        long b = batch.shape[0], c = batch.shape[1], h = batch.shape[2], w = batch.shape[3];
        var x = batch;
        if (crop && (h > side || w > side))
        {
            // Per-image offsets; gather rows then columns: (B, C, H, W) → (B, C, side, W) → (B, C, side, side).
            var range = HeldScalars.Arange(side, batch.device);
            var oy = randint(h - side + 1, [b, 1], generator: gen, dtype: ScalarType.Int64).to(batch.device);
            var ox = randint(w - side + 1, [b, 1], generator: gen, dtype: ScalarType.Int64).to(batch.device);
            var rows = oy.add(range, one).view(b, 1, side, 1).expand(b, c, side, w);
            x = x.gather(2, rows);
            var cols = ox.add(range, one).view(b, 1, 1, side).expand(b, c, side, side);
            x = x.gather(3, cols);
        }
        else if (h > side || w > side)
        {
            x = Data.Preprocessing.CenterCrop(x, side);
        }
        if (flip)
        {
            var mask = rand([b], generator: gen).lt(half).to(batch.device).view(b, 1, 1, 1);
            x = where(mask, x.flip(3), x);
        }
        x = whiten ? Data.Preprocessing.PerImageStandardization(x) : x.contiguous();
        return x.MoveToOuterDisposeScope();
    }
}
