namespace Shatter.Data;

/// <summary>
/// The text datasets by name: <c>fortunes</c> (<see cref="FortunesCorpus"/>), <c>csv:PATH</c> with a text column
/// (<see cref="TextTable"/>; without one, csv:PATH is a regression table) and <c>folder:PATH</c> of .txt files
/// (<see cref="TextFolder"/>; a folder of images is an image dataset, <see cref="ImageFolder"/>).
/// </summary>
public static class TextSources
{
    /// <summary>Is <paramref name="name"/>, with these options, a text dataset?</summary>
    public static bool IsText(string name, TextOptions options) =>
        name.Equals(FortunesCorpus.Name, StringComparison.OrdinalIgnoreCase)
        || TextTable.IsTextTable(name, options.TextColumn)
        || (name.StartsWith(ImageFolder.Prefix, StringComparison.OrdinalIgnoreCase) && TextFolder.IsTextTree(name[ImageFolder.Prefix.Length..]));

    /// <summary>
    /// May <paramref name="name"/> be a text dataset, by its name alone: fortunes, or folder:PATH (text or images: the
    /// folder's content decides, <see cref="TextFolder.IsTextTree"/>). csv:PATH is a text table only with a text column.
    /// </summary>
    public static bool MayBeText(string name) =>
        name.Equals(FortunesCorpus.Name, StringComparison.OrdinalIgnoreCase) || name.StartsWith(ImageFolder.Prefix, StringComparison.OrdinalIgnoreCase);

    public static TextDataset Load(string name, TextOptions options, string? dataDir = null)
    {
        if (name.Equals(FortunesCorpus.Name, StringComparison.OrdinalIgnoreCase)) return FortunesCorpus.Load(options, dataDir);
        if (TextTable.IsTextTable(name, options.TextColumn)) return TextTable.Load(name[TextTable.Prefix.Length..], options);
        if (name.StartsWith(ImageFolder.Prefix, StringComparison.OrdinalIgnoreCase)) return TextFolder.Load(name[ImageFolder.Prefix.Length..], options);
        throw new ShatterException($"'{name}' is not a text dataset; use fortunes, csv:PATH with --text COLUMN --label COLUMN, or folder:PATH of .txt files.");
    }
}
