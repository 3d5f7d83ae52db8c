using SkiaSharp;

namespace Shatter.Data;

/// <summary>
/// One image file through SkiaSharp (Skia's PNG, JPEG, BMP, GIF and WebP codecs), to 8-bit RGBA rows at a
/// requested size. Resizing follows torchvision's Resize(S) then CenterCrop(S): the shorter side is scaled to S
/// (the longer to ⌊S·long/short⌋) with Mitchell's cubic filter, then the centre S×S is kept (offset ⌊(side − S)/2⌋).
/// An image already S×S, or read without a size, is not resampled: its pixels are the file's, byte for byte.
/// Pixels are decoded without colour management (no colour space conversion) and alpha is dropped by the caller.
/// </summary>
internal static class ImageDecoding
{
    /// <summary>What the file's header says: its size and whether it is stored as grey.</summary>
    public sealed record Header(int Width, int Height, bool Grey);

    /// <summary>
    /// Decodes <paramref name="path"/> into <paramref name="rgba"/> (height·width·4 bytes, row-major RGBA) at
    /// <paramref name="side"/>×<paramref name="side"/>, or at the file's own size when <paramref name="side"/> is
    /// null (then <paramref name="rgba"/> must have that size's length). Returns the header.
    /// </summary>
    public static Header Decode(string path, int? side, Span<byte> rgba, (int Width, int Height)? expected)
    {
        using var data = Read(path);
        using var codec = Open(path, data);
        var header = HeaderOf(path, codec);
        if (side is null && expected is { } size && (size.Width != header.Width || size.Height != header.Height))
            throw new ShatterException($"the image {path} is {header.Width}×{header.Height} but the first image is {size.Width}×{size.Height}; give an image size (--image-size N) to resize and centre-crop every image to N×N.");
        var info = new SKImageInfo(header.Width, header.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var full = new SKBitmap(info);
        var result = codec.GetPixels(info, full.GetPixels());
        if (result != SKCodecResult.Success)
            throw new ShatterException($"the image {path} is damaged ({result}: Skia could not decode all of its pixels); replace or remove it.");
        if (side is not int s || (s == header.Width && s == header.Height))
        {
            full.GetPixelSpan().CopyTo(rgba);
            return header;
        }
        // torchvision's Resize(s): shorter side to s, longer to ⌊s·long/short⌋; then CenterCrop(s)
        bool wide = header.Width >= header.Height;
        int rw = wide ? (int)((long)s * header.Width / header.Height) : s;
        int rh = wide ? s : (int)((long)s * header.Height / header.Width);
        using var resized = full.Resize(new SKImageInfo(rw, rh, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKCubicResampler.Mitchell))
            ?? throw new ShatterException($"the image {path} could not be resized to {rw}×{rh}; replace or remove it.");
        var pixels = resized.GetPixelSpan();
        int x0 = (rw - s) / 2, y0 = (rh - s) / 2, row = s * 4, stride = resized.RowBytes;
        for (int y = 0; y < s; y++)
            pixels.Slice((y0 + y) * stride + x0 * 4, row).CopyTo(rgba.Slice(y * row, row));
        return header;
    }

    /// <summary>The header of <paramref name="path"/> (its size and whether it is grey), without decoding its pixels.</summary>
    public static Header ReadHeader(string path)
    {
        using var data = Read(path);
        using var codec = Open(path, data);
        return HeaderOf(path, codec);
    }

    static SKData Read(string path)
    {
        try
        {
            return SKData.CreateCopy(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ShatterException($"the image {path} cannot be read ({DataFiles.Reason(e)}); check that it exists and is readable.", e);
        }
    }

    static SKCodec Open(string path, SKData data) =>
        SKCodec.Create(data)
            ?? throw new ShatterException($"the image {path} cannot be decoded; it is damaged or not a PNG, JPEG, BMP, GIF or WebP file: replace or remove it.");

    static Header HeaderOf(string path, SKCodec codec)
    {
        var header = new Header(codec.Info.Width, codec.Info.Height, codec.Info.ColorType == SKColorType.Gray8);
        if (header.Width < 1 || header.Height < 1)
            throw new ShatterException($"the image {path} is {header.Width}×{header.Height}; replace or remove it.");
        return header;
    }
}
