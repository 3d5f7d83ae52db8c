using TorchSharp;
using SkiaSharp;
using static TorchSharp.torch;

namespace Shatter.Reporting;

/// <summary>Renders rows of images (float (N, C, H, W), C = 1 or 3, values in [0, 1]) as one PNG.</summary>
public static class ImageGrid
{
    /// <summary>Writes the rows (each (N, C, H, W), same N) to <paramref name="path"/>, each pixel scaled up.</summary>
    public static void WritePng(string path, IReadOnlyList<Tensor> rows, int scale = 3, int gap = 2)
    {
        if (rows.Count == 0) throw new ArgumentException("no rows to draw");
        long n = rows[0].shape[0], c = rows[0].shape[1], h = rows[0].shape[2], w = rows[0].shape[3];
        int cellW = (int)w * scale + gap, cellH = (int)h * scale + gap;
        using var bitmap = new SKBitmap((int)n * cellW + gap, rows.Count * cellH + gap);
        using (var canvas = new SKCanvas(bitmap)) canvas.Clear(SKColors.White);
        using Scalar zero = 0.ToScalar(), one = 1.ToScalar(), max = 255.ToScalar(); // held for the calls (docs/torchsharp.md)
        for (int r = 0; r < rows.Count; r++)
        {
            // (N, C, H, W) → (N, H, W, C) bytes
            using var bytes = rows[r].clamp(zero, one).mul(max).round().to_type(ScalarType.Byte).permute(0, 2, 3, 1).contiguous();
            var data = bytes.data<byte>().ToArray();
            for (int i = 0; i < n; i++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                    {
                        long at = ((i * h + y) * w + x) * c;
                        var color = c == 1 ? new SKColor(data[at], data[at], data[at]) : new SKColor(data[at], data[at + 1], data[at + 2]);
                        for (int dy = 0; dy < scale; dy++)
                            for (int dx = 0; dx < scale; dx++)
                                bitmap.SetPixel(gap + i * cellW + x * scale + dx, gap + r * cellH + y * scale + dy, color);
                    }
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, stream => png.SaveTo(stream));
    }
}
