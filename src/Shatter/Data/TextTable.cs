using Microsoft.VisualBasic.FileIO;

namespace Shatter.Data;

/// <summary>
/// <c>csv:PATH --text COLUMN --label COLUMN</c>: a CSV (RFC 4180: a header row of column names; cells may be quoted,
/// and quoted cells may hold commas, doubled quotes and line breaks; read by .NET's own TextFieldParser) whose text
/// column holds one example per row and whose label column its class. The classes are the label column's distinct
/// values (trimmed), in ordinal order: label i is the i-th of them. With --target instead of --text the same
/// <c>csv:</c> source is a regression table (<see cref="TabularDataset"/>): <see cref="IsTextTable"/> tells them apart.
/// </summary>
public static class TextTable
{
    public const string Prefix = "csv:";

    /// <summary>Is <c>csv:PATH</c> with these options a text table (a text column is named) rather than a regression table?</summary>
    public static bool IsTextTable(string name, string? textColumn) =>
        name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(textColumn);

    /// <summary>The texts and labels of the table, and the class names.</summary>
    public static (LabelledTexts Texts, IReadOnlyList<string> Classes) Read(string path, string textColumn, string? labelColumn)
    {
        if (string.IsNullOrWhiteSpace(labelColumn))
            throw new ShatterException($"--dataset csv:{path} --text {textColumn} needs --label COLUMN, the column that holds each text's class.");
        if (!File.Exists(path))
            throw new ShatterException($"the table {path} does not exist; give csv:PATH a CSV file with a header row.");
        var texts = new List<string>();
        var labelValues = new List<string>();
        try
        {
            using var parser = new TextFieldParser(path, System.Text.Encoding.UTF8) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false };
            parser.SetDelimiters(",");
            var header = parser.ReadFields()?.Select(h => h.Trim()).ToArray()
                ?? throw new ShatterException($"{path} is empty; give a CSV with a header row and one row per text.");
            int textAt = Column(header, textColumn, path, "--text"), labelAt = Column(header, labelColumn, path, "--label");
            while (!parser.EndOfData)
            {
                long line = parser.LineNumber;
                var cells = parser.ReadFields();
                if (cells is null || cells.All(string.IsNullOrWhiteSpace)) continue;
                if (cells.Length != header.Length)
                    throw new ShatterException($"{path} line {line} has {cells.Length} cells but the header has {header.Length}; quote cells that hold commas (\"a, b\").");
                if (string.IsNullOrWhiteSpace(cells[textAt]))
                    throw new ShatterException($"{path} line {line} has an empty {textColumn} cell; give every row a text or remove the row.");
                if (string.IsNullOrWhiteSpace(cells[labelAt]))
                    throw new ShatterException($"{path} line {line} has an empty {labelColumn} cell; give every row a label or remove the row.");
                texts.Add(cells[textAt]);
                labelValues.Add(cells[labelAt].Trim());
            }
        }
        catch (MalformedLineException e)
        {
            throw new ShatterException($"{path} line {e.LineNumber} is not valid CSV (an unclosed or stray quote); double the quotes inside a quoted cell (\"say \"\"hi\"\"\").", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ShatterException($"cannot read the table {path} ({DataFiles.Reason(e)}); check that it exists and is readable.", e);
        }
        var classes = labelValues.Distinct().Order(StringComparer.Ordinal).ToList();
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        return (new LabelledTexts(texts, labelValues.Select(v => index[v]).ToList()), classes);
    }

    /// <summary>A text table split by the options' seeded fraction and tokenized.</summary>
    public static TextDataset Load(string path, TextOptions options)
    {
        var (all, classes) = Read(path, options.TextColumn ?? "", options.LabelColumn);
        if (classes.Count < 2)
            throw new ShatterException($"the {options.LabelColumn} column of {path} holds {classes.Count} distinct value{(classes.Count == 1 ? "" : "s")}; a classification set needs at least two classes.");
        var (train, test) = all.Split(classes.Count, options.TestFraction, options.SplitSeed);
        return TextEncoding.Build(Prefix + path, path, classes, train, test, options);
    }

    static int Column(string[] header, string name, string path, string option)
    {
        int at = Array.IndexOf(header, name);
        return at >= 0 ? at : throw new ShatterException($"{path} has no column '{name}' (named by {option}); its columns are {string.Join(", ", header)}.");
    }
}
