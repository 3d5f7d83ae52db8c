using System.IO.Compression;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Data;

/// <summary>
/// <c>npz:PATH</c>: a NumPy archive (<c>np.savez</c> or <c>np.savez_compressed</c>) or a folder of .npy files holding
/// <c>x_train</c>, <c>y_train</c>, <c>x_test</c>, <c>y_test</c>, as the uint8 (N, C, H, W) images and int64 labels
/// the other readers produce.
/// <list type="bullet">
/// <item>Images: (N, H, W) is grey; (N, H, W, C) and (N, C, H, W) with C = 1 or 3 are recognised by which axis is 1
/// or 3 (channels-last when both are: NumPy's and Keras's convention). uint8 is kept; other integer types must hold
/// 0..255; float types must hold [0, 1] (torchvision's ToTensor range) and become round(255·x).</item>
/// <item>Labels: integers (any width), shape (N) or (N, 1), from 0; the classes are 0..max over both splits, named "0", "1", ….</item>
/// </list>
/// Every problem is one sentence naming the array and the fix.
/// </summary>
public static class NumpyDataset
{
    public const string Prefix = "npz:";
    public static readonly IReadOnlyList<string> ArrayNames = ["x_train", "y_train", "x_test", "y_test"];
    /// <summary>Most classes accepted (a guard against labels that are not class indices).</summary>
    public const int MaxClasses = 100_000;

    public static ImageDataset Load(string path)
    {
        var arrays = new Dictionary<string, Tensor>();
        try
        {
            ReadArrays(path, arrays);
            using var xTrain = Images(arrays["x_train"], Where(path, "x_train"));
            using var xTest = Images(arrays["x_test"], Where(path, "x_test"));
            if (!xTrain.shape.Skip(1).SequenceEqual(xTest.shape.Skip(1)))
                throw new ShatterException($"{path}: x_train holds {Shape(xTrain.shape[1..])} images (C×H×W) but x_test holds {Shape(xTest.shape[1..])}; save both splits at one size.");
            using var yTrain = Labels(arrays["y_train"], xTrain.shape[0], Where(path, "y_train"), "x_train");
            using var yTest = Labels(arrays["y_test"], xTest.shape[0], Where(path, "y_test"), "x_test");
            long classes = Math.Max(Max(yTrain), Max(yTest)) + 1;
            if (classes < 2 || classes > MaxClasses)
                throw new ShatterException($"{path}: the labels name {classes} class{(classes == 1 ? "" : "es")}; a classification set needs 2 to {MaxClasses}, numbered from 0.");
            var names = Enumerable.Range(0, (int)classes).Select(i => i.ToString()).ToList();
            return new ImageDataset(Prefix + path, new ImageSplit(xTrain.alias(), yTrain.alias()), new ImageSplit(xTest.alias(), yTest.alias()), names) { Source = path };
        }
        finally
        {
            foreach (var a in arrays.Values) a.Dispose();
        }
    }

    static string Where(string path, string name) => $"{name} in {path}";

    static string Shape(long[] shape) => $"({string.Join(", ", shape)})";

    /// <summary>The four arrays from an .npz archive or a folder of .npy files.</summary>
    static void ReadArrays(string path, Dictionary<string, Tensor> arrays)
    {
        if (Directory.Exists(path))
        {
            var missing = ArrayNames.Where(n => !File.Exists(Path.Combine(path, n + ".npy"))).ToList();
            if (missing.Count > 0)
                throw new ShatterException($"{path} lacks {string.Join(", ", missing.Select(m => m + ".npy"))}; save all four arrays there with np.save (or give an .npz from np.savez).");
            foreach (var n in ArrayNames) arrays[n] = NpyFormat.ReadFile(Path.Combine(path, n + ".npy"));
            return;
        }
        if (!File.Exists(path))
            throw new ShatterException($"{path} does not exist; give npz:PATH an .npz file (np.savez(PATH, x_train=..., y_train=..., x_test=..., y_test=...)) or a folder of those four .npy files.");
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            throw new ShatterException($"{path} is one .npy array; give npz:PATH an .npz archive of x_train, y_train, x_test and y_test, or the folder holding their four .npy files.");
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var missing = ArrayNames.Where(n => zip.GetEntry(n + ".npy") is null).ToList();
            if (missing.Count > 0)
                throw new ShatterException($"{path} has no array {string.Join(", ", missing)} (it holds {Holds(zip)}); save all four: np.savez(PATH, x_train=..., y_train=..., x_test=..., y_test=...).");
            foreach (var n in ArrayNames)
            {
                var entry = zip.GetEntry(n + ".npy")!;
                using var stream = entry.Open();
                arrays[n] = NpyFormat.Read(stream, entry.Length, Where(path, n));
            }
        }
        catch (InvalidDataException e)
        {
            throw new ShatterException($"{path} is not a valid .npz (zip) archive ({DataFiles.Reason(e)}); save it again with np.savez.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ShatterException($"{path} could not be read ({DataFiles.Reason(e)}); check that it exists and is readable.", e);
        }
    }

    static string Holds(ZipArchive zip)
    {
        var names = zip.Entries.Select(e => Path.GetFileNameWithoutExtension(e.FullName)).ToList();
        return names.Count == 0 ? "nothing" : string.Join(", ", names);
    }

    /// <summary>x as uint8 (N, C, H, W), after the layout and value checks.</summary>
    static Tensor Images(Tensor x, string where)
    {
        using var scope = NewDisposeScope();
        var s = x.shape;
        Tensor nchw = s.Length switch
        {
            3 => x.unsqueeze(1),                                                  // (N, H, W) -> (N, 1, H, W)
            4 when s[3] is 1 or 3 => x.permute(0, 3, 1, 2),                       // (N, H, W, C) -> (N, C, H, W)
            4 when s[1] is 1 or 3 => x.alias(),
            _ => throw new ShatterException($"{where} has shape {Shape(s)}; give images as (N, H, W), (N, H, W, C) or (N, C, H, W) with C = 1 (grey) or 3 (RGB)."),
        };
        if (nchw.shape.Skip(1).Any(d => d == 0))
            throw new ShatterException($"{where} has shape {Shape(s)}, with an empty side; give images of at least 1×1 pixel.");
        return ToBytes(nchw, where).contiguous().MoveToOuterDisposeScope();
    }

    static Tensor ToBytes(Tensor x, string where)
    {
        if (x.dtype == ScalarType.Byte) return x;
        if (x.dtype == ScalarType.Bool)
            throw new ShatterException($"{where} holds booleans; save images as uint8 (0..255) or float (0..1).");
        if (x.is_floating_point())
        {
            var wide = x.to_type(ScalarType.Float64);
            if (x.numel() > 0 && (!wide.isfinite().all().item<bool>() || wide.min().item<double>() < 0 || wide.max().item<double>() > 1))
                throw new ShatterException($"{where} holds float values outside [0, 1] (from {wide.min().item<double>()} to {wide.max().item<double>()}); scale them to [0, 1] or save uint8 pixels 0..255.");
            using var full = 255.0.ToScalar();
            return wide.mul(full).round().to_type(ScalarType.Byte);
        }
        var asLong = x.to_type(ScalarType.Int64);
        if (x.numel() > 0 && (asLong.min().item<long>() < 0 || asLong.max().item<long>() > 255))
            throw new ShatterException($"{where} holds integers from {asLong.min().item<long>()} to {asLong.max().item<long>()}; pixels must be 0..255 (save x.astype('uint8'), or floats in [0, 1]).");
        return asLong.to_type(ScalarType.Byte);
    }

    /// <summary>y as int64 (N), after the shape, type and range checks.</summary>
    static Tensor Labels(Tensor y, long n, string where, string images)
    {
        if (y.is_floating_point() || y.dtype == ScalarType.Bool)
            throw new ShatterException($"{where} holds {y.dtype} values; labels must be integer class indices (save y.astype('int64')).");
        var s = y.shape;
        if (!(s.Length == 1 || (s.Length == 2 && s[1] == 1)))
            throw new ShatterException($"{where} has shape {Shape(s)}; labels must be one integer per image, shape (N) or (N, 1).");
        if (s[0] != n)
            throw new ShatterException($"{where} holds {s[0]} labels but {images} holds {n} images; save one label per image.");
        var labels = y.reshape(-1).to_type(ScalarType.Int64);
        if (n > 0 && labels.min().item<long>() < 0)
        {
            labels.Dispose();
            throw new ShatterException($"{where} holds the negative label {y.min().item<long>()}; labels must be class indices from 0.");
        }
        return labels;
    }

    static long Max(Tensor labels) => labels.numel() == 0 ? -1 : labels.max().item<long>();
}
