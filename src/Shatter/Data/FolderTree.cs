namespace Shatter.Data;

/// <summary>
/// The files of a class-per-folder tree (torchvision's ImageFolder convention), before any file is read:
/// either <c>ROOT/train/&lt;class&gt;/…</c> with <c>ROOT/test/&lt;class&gt;/…</c>, or one tree <c>ROOT/&lt;class&gt;/…</c>
/// that the caller splits (<see cref="SeededSplit"/>). Classes are the training class folders' names in ordinal
/// order (label = index, as torchvision sorts them); files are found at any depth below a class folder, in ordinal
/// order of their relative paths; names starting with '.' (such as Shatter's own .shatter-cache) are ignored, and so
/// are files of other kinds. Every problem is one sentence naming the folder and the fix.
/// </summary>
public sealed record FolderTree(string Root, IReadOnlyList<string> Classes, IReadOnlyList<FolderTree.Entry> Train, IReadOnlyList<FolderTree.Entry>? Test)
{
    /// <summary>One file and its label (index into <see cref="Classes"/>).</summary>
    public sealed record Entry(string Path, int Label);

    /// <summary>Which files a tree is made of.</summary>
    public sealed record FileKind(string What, IReadOnlyList<string> Extensions)
    {
        public bool Accepts(string path) => Extensions.Contains(System.IO.Path.GetExtension(path).ToLowerInvariant());
        public string List => string.Join(", ", Extensions);
    }

    /// <summary>Image files that SkiaSharp decodes.</summary>
    public static readonly FileKind Images = new("images", [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"]);
    /// <summary>Plain-text files (UTF-8), one example per file.</summary>
    public static readonly FileKind Texts = new("text files", [".txt"]);

    /// <summary>Does the tree under <paramref name="root"/> hold files of <paramref name="kind"/> anywhere (hidden entries aside)?</summary>
    public static bool Holds(string root, FileKind kind) =>
        Directory.Exists(root) && Visible(root, recursive: true).Any(kind.Accepts);

    public static FolderTree Scan(string root, FileKind kind)
    {
        if (!Directory.Exists(root))
            throw new ShatterException($"the folder {root} does not exist; give folder:PATH a folder with one subfolder of {kind.What} per class (or train/ and test/ each holding such subfolders).");
        string train = Path.Combine(root, "train"), test = Path.Combine(root, "test");
        if (Directory.Exists(train) != Directory.Exists(test))
            throw new ShatterException($"{root} has a {(Directory.Exists(train) ? "train" : "test")}/ folder but no {(Directory.Exists(train) ? "test" : "train")}/ folder; add it, or put the class folders directly in {root} to have a test set split off.");
        if (Directory.Exists(train))
        {
            var classes = ClassFolders(train, kind);
            var known = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
            foreach (var c in ClassNames(test))
                if (!known.ContainsKey(c))
                    throw new ShatterException($"{test} has a class folder '{c}' that {train} lacks; the test classes must be training classes: rename or remove it.");
            var testEntries = ClassNames(test).SelectMany(c => Files(Path.Combine(test, c), kind).Select(f => new Entry(f, known[c]))).ToList();
            if (testEntries.Count == 0)
                throw new ShatterException($"{test} holds no {kind.What} ({kind.List}); put the test examples in one subfolder per class.");
            return new FolderTree(root, classes, Entries(train, classes, kind), testEntries);
        }
        var names = ClassFolders(root, kind);
        return new FolderTree(root, names, Entries(root, names, kind), null);
    }

    /// <summary>The class folder names under <paramref name="folder"/>, sorted, each holding at least one file of the kind.</summary>
    static List<string> ClassFolders(string folder, FileKind kind)
    {
        var loose = Directory.EnumerateFiles(folder).Where(f => !Hidden(f) && kind.Accepts(f)).Order(StringComparer.Ordinal).FirstOrDefault();
        if (loose is not null)
            throw new ShatterException($"{loose} lies directly in {folder}; put every file in a subfolder named for its class.");
        var classes = ClassNames(folder);
        if (classes.Count < 2)
            throw new ShatterException($"{folder} has {classes.Count} class folder{(classes.Count == 1 ? "" : "s")}; a classification set needs at least two subfolders, one per class, each holding its {kind.What}.");
        foreach (var c in classes)
            if (!Files(Path.Combine(folder, c), kind).Any())
                throw new ShatterException($"the class folder {Path.Combine(folder, c)} holds no {kind.What} ({kind.List}); add some or remove the folder.");
        return classes;
    }

    static List<string> ClassNames(string folder) =>
        Directory.EnumerateDirectories(folder).Where(d => !Hidden(d)).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToList();

    static List<Entry> Entries(string folder, IReadOnlyList<string> classes, FileKind kind) =>
        classes.SelectMany((c, i) => Files(Path.Combine(folder, c), kind).Select(f => new Entry(f, i))).ToList();

    /// <summary>The files of the kind below a class folder, at any depth, in ordinal order of their relative paths.</summary>
    static IEnumerable<string> Files(string classFolder, FileKind kind) =>
        Visible(classFolder, recursive: true).Where(kind.Accepts)
            .OrderBy(f => Path.GetRelativePath(classFolder, f), StringComparer.Ordinal);

    /// <summary>Files below <paramref name="folder"/>, skipping hidden files and everything inside hidden folders.</summary>
    static IEnumerable<string> Visible(string folder, bool recursive)
    {
        foreach (var f in Directory.EnumerateFiles(folder))
            if (!Hidden(f)) yield return f;
        if (!recursive) yield break;
        foreach (var d in Directory.EnumerateDirectories(folder))
            if (!Hidden(d))
                foreach (var f in Visible(d, recursive)) yield return f;
    }

    static bool Hidden(string path) => Path.GetFileName(path).StartsWith('.');
}
