using System.Text;

namespace Shatter.Data;

/// <summary>
/// <c>folder:PATH</c> of .txt files: the class-per-folder tree of <see cref="FolderTree"/> (train/ and test/, or one
/// tree split by the seeded fraction), one example per UTF-8 file. A tree is read as text when it holds .txt files
/// and no images (<see cref="IsTextTree"/>).
/// </summary>
public static class TextFolder
{
    /// <summary>Does <paramref name="root"/> hold a text tree (.txt files and no images)?</summary>
    public static bool IsTextTree(string root) =>
        FolderTree.Holds(root, FolderTree.Texts) && !FolderTree.Holds(root, FolderTree.Images);

    public static TextDataset Load(string root, TextOptions options)
    {
        var tree = FolderTree.Scan(root, FolderTree.Texts);
        var all = Read(tree.Train);
        var (train, test) = tree.Test is null ? all.Split(tree.Classes.Count, options.TestFraction, options.SplitSeed) : (all, Read(tree.Test));
        return TextEncoding.Build(ImageFolder.Prefix + root, root, tree.Classes, train, test, options);
    }

    static LabelledTexts Read(IReadOnlyList<FolderTree.Entry> entries)
    {
        var texts = new List<string>(entries.Count);
        foreach (var e in entries)
        {
            string text;
            try
            {
                text = File.ReadAllText(e.Path, Encoding.UTF8);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ShatterException($"the text file {e.Path} cannot be read ({DataFiles.Reason(ex)}); check that it exists and is readable.", ex);
            }
            if (string.IsNullOrWhiteSpace(text))
                throw new ShatterException($"the text file {e.Path} is empty; give every example some text or remove the file.");
            texts.Add(text);
        }
        return new LabelledTexts(texts, entries.Select(e => e.Label).ToList());
    }
}
