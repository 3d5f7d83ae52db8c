using SkiaSharp;

namespace Shatter.Tests.Data;

/// <summary>Writes small image files through SkiaSharp whose every pixel is known, for the folder: tests.</summary>
public static class ImageFiles
{
    /// <summary>The value of image <paramref name="n"/> at channel c, row y, column x.</summary>
    public static byte Pixel(int n, int c, int y, int x) => (byte)((n * 37 + c * 91 + y * 11 + x * 5) % 256);

    /// <summary>A grey (c = 1) or RGB (c = 3) image of <paramref name="h"/>×<paramref name="w"/> with <see cref="Pixel"/> values.</summary>
    public static void Write(string path, int n, int c, int h, int w, SKEncodedImageFormat format = SKEncodedImageFormat.Png) =>
        Write(path, c, h, w, (ch, y, x) => Pixel(n, ch, y, x), format);

    public static void Write(string path, int c, int h, int w, Func<int, int, int, byte> value, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var info = new SKImageInfo(w, h, c == 1 ? SKColorType.Gray8 : SKColorType.Rgba8888, c == 1 ? SKAlphaType.Opaque : SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var pixels = bitmap.GetPixelSpan();
        var bytes = new byte[pixels.Length];
        int stride = bitmap.RowBytes;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (c == 1) bytes[y * stride + x] = value(0, y, x);
                else
                {
                    for (int k = 0; k < 3; k++) bytes[y * stride + x * 4 + k] = value(k, y, x);
                    bytes[y * stride + x * 4 + 3] = 255;
                }
        System.Runtime.InteropServices.Marshal.Copy(bytes, 0, bitmap.GetPixels(), bytes.Length);
        using var data = bitmap.Encode(format, 100);
        File.WriteAllBytes(path, data.ToArray());
    }
}
