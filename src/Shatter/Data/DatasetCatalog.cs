using static TorchSharp.torch;

namespace Shatter.Data;

/// <summary>
/// Dataset names and where their files are looked for: the folder given by --data-dir, else the
/// SHATTER_DATA folder, else the dataset's system folder (Debian's dataset packages). Inside a folder a
/// dataset may sit directly or in its usual subfolder (fashion-mnist/, cifar-10-batches-bin/, ...), and
/// CIFAR may be the official .tar.gz archive.
/// </summary>
public static class DatasetCatalog
{
    public const string Default = "fashion-mnist";
    public const string EnvironmentVariable = "SHATTER_DATA";

    public static readonly IReadOnlyList<string> Names = ["fashion-mnist", "mnist", "cifar10", "cifar100", "cifar100-coarse"];

    /// <summary>The embedded text corpora (<see cref="TextSources"/> loads them, and csv:PATH --text, folder:PATH of .txt).</summary>
    public static readonly IReadOnlyList<string> TextNames = [FortunesCorpus.Name];

    /// <summary>The user's own data: <c>folder:PATH</c> (<see cref="ImageFolder"/> or <see cref="TextFolder"/>), <c>npz:PATH</c> (<see cref="NumpyDataset"/>), <c>csv:PATH</c> (<see cref="TextTable"/> or <see cref="TabularDataset"/>).</summary>
    public static readonly IReadOnlyList<string> UserPrefixes = [ImageFolder.Prefix, NumpyDataset.Prefix, TextTable.Prefix];

    /// <summary>Every dataset a run may name, image and tabular, for "unknown dataset" messages.</summary>
    public const string Choices = "fashion-mnist, mnist, cifar10, cifar100, cifar100-coarse, your own images folder:PATH or npz:PATH, texts fortunes, csv:PATH (with --text and --label) or folder:PATH of .txt files, for regression house-prices or csv:PATH (with --target COLUMN), or for reinforcement learning maze";

    static readonly string[] IdxFiles = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    static readonly IReadOnlyList<string> FashionNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Does <paramref name="name"/> name the user's own data (<c>folder:PATH</c>, <c>npz:PATH</c>) by its prefix?</summary>
    public static bool IsUserSource(string name) =>
        name.StartsWith(ImageFolder.Prefix, StringComparison.OrdinalIgnoreCase) || name.StartsWith(NumpyDataset.Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Are <paramref name="name"/>'s files images? The one place that tells image data from text: <c>npz:PATH</c> always;
    /// <c>folder:PATH</c> unless the tree holds .txt files and no images (<see cref="TextFolder.IsTextTree"/>: text).
    /// </summary>
    public static bool IsUserImages(string name) =>
        name.StartsWith(NumpyDataset.Prefix, StringComparison.OrdinalIgnoreCase)
        || (name.StartsWith(ImageFolder.Prefix, StringComparison.OrdinalIgnoreCase) && !TextFolder.IsTextTree(name[ImageFolder.Prefix.Length..]));

    /// <summary>
    /// Loads a dataset by name; <paramref name="dataDir"/> overrides SHATTER_DATA and the system folder (the user's
    /// folder:PATH and npz:PATH are read where PATH says). <paramref name="folder"/>: how a folder:PATH tree is read.
    /// </summary>
    public static ImageDataset Load(string name, string? dataDir = null, ImageFolderOptions? folder = null)
    {
        if (IsUserSource(name))
        {
            var path = name[(name.IndexOf(':') + 1)..];
            if (!IsUserImages(name))
                throw new ShatterException($"{path} holds .txt files and no images, a text dataset; train a text model on it (text-transformer-DxW, text-lstm-LxH).");
            return name.StartsWith(NumpyDataset.Prefix, StringComparison.OrdinalIgnoreCase)
                ? NumpyDataset.Load(path)
                : ImageFolder.Load(path, folder ?? new ImageFolderOptions()).Dataset;
        }
        var key = name.ToLowerInvariant();
        if (!Names.Contains(key))
            throw new ShatterException(TabularDataset.IsTabular(name)
                ? $"{name} is a regression table, not an image dataset; read it with 'shatter data info {name}' or train on it with 'shatter train --dataset {name}'."
                : $"unknown dataset '{name}'; use one of {Choices}.");
        var roots = SearchRoots(key, dataDir);
        if (dataDir is not null && !Directory.Exists(dataDir) && !File.Exists(dataDir))
            throw new ShatterException($"the data folder {dataDir} does not exist; give --data-dir a folder that holds the {key} files.");
        return key switch
        {
            "fashion-mnist" => LoadIdx(key, roots, ["fashion-mnist", "fashion_mnist", "FashionMNIST/raw"], FashionNames),
            "mnist" => LoadIdx(key, roots, ["mnist", "MNIST/raw"], Enumerable.Range(0, 10).Select(i => i.ToString()).ToList()),
            "cifar10" => LoadCifar(key, roots, CifarVariant.Cifar10, ["cifar-10-batches-bin", "cifar10", "cifar-10"], "cifar-10-binary.tar.gz"),
            "cifar100" => LoadCifar(key, roots, CifarVariant.Cifar100, ["cifar-100-binary", "cifar100", "cifar-100"], "cifar-100-binary.tar.gz"),
            _ => LoadCifar(key, roots, CifarVariant.Cifar100Coarse, ["cifar-100-binary", "cifar100", "cifar-100"], "cifar-100-binary.tar.gz"),
        };
    }

    /// <summary>Folders searched, in order: the explicit one, else SHATTER_DATA, else the system folder.</summary>
    public static IReadOnlyList<string> SearchRoots(string name, string? dataDir)
    {
        if (dataDir is not null) return [dataDir];
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        var roots = new List<string>();
        if (!string.IsNullOrEmpty(env)) roots.Add(env);
        roots.Add(Path.Combine("/usr/share/datasets", name));
        return roots;
    }

    static ImageDataset LoadIdx(string name, IReadOnlyList<string> roots, string[] subfolders, IReadOnlyList<string> classNames)
    {
        foreach (var folder in Candidates(roots, subfolders))
        {
            var paths = IdxFiles.Select(f => Existing(folder, f)).ToArray();
            if (paths.All(p => p is null)) continue;
            if (paths.Any(p => p is null))
                throw new ShatterException($"{folder} holds only some {name} files: missing {string.Join(", ", IdxFiles.Where((_, i) => paths[i] is null))} (plain or .gz); add them or pass --data-dir a folder with all four.");
            var train = ReadIdxSplit(paths[0]!, paths[1]!, classNames.Count);
            try
            {
                var test = ReadIdxSplit(paths[2]!, paths[3]!, classNames.Count);
                return new ImageDataset(name, train, test, classNames) { Source = folder };
            }
            catch
            {
                train.Dispose();
                throw;
            }
        }
        var hint = name == Default ? " (on Debian: apt-get install dataset-fashion-mnist)" : "";
        throw new ShatterException($"{name} files not found: expected {string.Join(", ", IdxFiles)} (each plain or .gz) in {string.Join(" or ", Candidates(roots, subfolders))}; put them there or pass --data-dir{hint}.");
    }

    /// <summary>An images file and its labels file as one split, after checking they hold the same count.</summary>
    static ImageSplit ReadIdxSplit(string imagesPath, string labelsPath, int classes)
    {
        var images = IdxFormat.ReadImages(imagesPath);
        Tensor labels;
        try
        {
            labels = IdxFormat.ReadLabels(labelsPath, classes);
        }
        catch
        {
            images.Dispose();
            throw;
        }
        long n = images.shape[0], m = labels.shape[0];
        if (n != m)
        {
            images.Dispose();
            labels.Dispose();
            throw new ShatterException($"{imagesPath} holds {n} images but {labelsPath} holds {m} labels; the two files must come from the same release.");
        }
        return new ImageSplit(images, labels);
    }

    static string? Existing(string folder, string file)
    {
        // the official names, plain or gzip, and the dotted spelling some mirrors use (train-images.idx3-ubyte)
        var dotted = file.Replace("-idx", ".idx");
        foreach (var candidate in new[] { file, file + ".gz", dotted, dotted + ".gz" })
        {
            var p = Path.Combine(folder, candidate);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    static ImageDataset LoadCifar(string name, IReadOnlyList<string> roots, CifarVariant v, string[] subfolders, string archive)
    {
        var needed = CifarFormat.TrainFiles(v).Append(CifarFormat.TestFile(v)).ToList();
        foreach (var root in roots)
        {
            if (File.Exists(root) && root.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase))
                return CifarFormat.LoadArchive(root, v, name);
            foreach (var folder in Candidates([root], subfolders))
            {
                if (needed.All(f => File.Exists(Path.Combine(folder, f)))) return CifarFormat.LoadFolder(folder, v, name);
                var partial = needed.Where(f => File.Exists(Path.Combine(folder, f))).ToList();
                if (partial.Count > 0)
                    throw new ShatterException($"{folder} holds only some {name} files: missing {string.Join(", ", needed.Except(partial))}; add them, or point --data-dir at the archive {archive}.");
                var tgz = Path.Combine(folder, archive);
                if (File.Exists(tgz)) return CifarFormat.LoadArchive(tgz, v, name);
            }
        }
        throw new ShatterException($"{name} files not found: expected {string.Join(", ", needed)} or the archive {archive} in {string.Join(" or ", Candidates(roots, subfolders))}; download the CIFAR binary version there or pass --data-dir.");
    }

    /// <summary>
    /// Folders to look in, per root: the dataset's usual subfolders first, then the root itself, so a shared
    /// data folder holding fashion-mnist/ and mnist/ (or one set of loose files) never serves one for the other.
    /// </summary>
    static IEnumerable<string> Candidates(IReadOnlyList<string> roots, string[] subfolders) =>
        roots.SelectMany(r => subfolders.Select(s => Path.Combine(r, s)).Append(r)).Distinct();
}
