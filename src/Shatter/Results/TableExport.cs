using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace Shatter.Results;

/// <summary>
/// Writes tables as Parquet (Parquet.Net; every column nullable: strings, int64, double, boolean;
/// Snappy-compressed row groups of up to <see cref="RowGroupRows"/> rows) or CSV (RFC 4180, invariant
/// culture, doubles round-trip, NULL as an empty field), one file per table named after it.
/// <para>
/// Atomic as a set: every file is written into a hidden staging folder inside the output folder and moved
/// into place only when all are complete, so a failure leaves the folder as it was (a later rename
/// failing part-way is the only exception, and it names the folder).
/// </para>
/// </summary>
public static class TableExport
{
    public const int RowGroupRows = 250_000; // bounds memory (a chunk is held as boxed cells) while pandas reads any size alike
    public static readonly IReadOnlyList<string> Formats = ["parquet", "csv"];

    /// <summary>"parquet" or "csv"; a one-sentence error for anything else.</summary>
    public static string ParseFormat(string value) =>
        Formats.FirstOrDefault(f => string.Equals(f, value, StringComparison.OrdinalIgnoreCase))
        ?? throw new ShatterException($"unknown --format '{value}'; use parquet or csv.");

    /// <summary>Writes <paramref name="tables"/> into <paramref name="outDir"/> (created if needed); the paths written.</summary>
    public static IReadOnlyList<string> Write(IEnumerable<ExportTable> tables, string format, string outDir, CancellationToken cancellationToken = default)
    {
        format = ParseFormat(format);
        var dir = Path.GetFullPath(outDir);
        if (File.Exists(dir)) throw new ShatterException($"{dir} is a file; give --out a folder (it is created if needed).");
        var staging = Path.Combine(dir, $".export-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(staging);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ShatterException($"cannot write into {dir} ({e.Message.TrimEnd('.')}); give --out a folder you can write to.", e);
        }
        try
        {
            var names = new List<string>();
            foreach (var table in tables)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var name = FileName(table.Name) + "." + format;
                using (var stream = File.Create(Path.Combine(staging, name)))
                {
                    if (format == "csv") WriteCsv(table, stream);
                    else WriteParquet(table, stream, cancellationToken);
                }
                names.Add(name);
            }
            var written = new List<string>();
            foreach (var name in names)
            {
                File.Move(Path.Combine(staging, name), Path.Combine(dir, name), overwrite: true);
                written.Add(Path.Combine(dir, name));
            }
            return written;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ShatterException($"cannot write the export into {dir} ({e.Message.TrimEnd('.')}); give --out a folder you can write to, with space for it.", e);
        }
        finally
        {
            try
            {
                Directory.Delete(staging, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // nothing more to do: the staging folder is hidden and named as an export's leftover
            }
        }
    }

    static string FileName(string table) => new([.. table.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_')]);

    public static void WriteCsv(ExportTable table, Stream stream)
    {
        using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
        w.NewLine = "\n";
        w.WriteLine(string.Join(",", table.Columns.Select(c => Quote(c.Name))));
        var line = new StringBuilder();
        foreach (var row in table.Rows)
        {
            line.Clear();
            for (int i = 0; i < row.Length; i++)
            {
                if (i > 0) line.Append(',');
                line.Append(Cell(row[i]));
            }
            w.WriteLine(line);
        }
    }

    /// <summary>A cell as CSV text: empty for null, invariant numbers (doubles round-trip), true/false, quoted text.</summary>
    public static string Cell(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s => Quote(s),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Quote(value.ToString() ?? ""),
    };

    static string Quote(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{s.Replace("\"", "\"\"")}\"" : s;

    static void WriteParquet(ExportTable table, Stream stream, CancellationToken cancellationToken)
    {
        var fields = table.Columns.Select(c => c.Kind switch
        {
            ColumnKind.Integer => (DataField)new DataField<long?>(c.Name),
            ColumnKind.Real => new DataField<double?>(c.Name),
            ColumnKind.Boolean => new DataField<bool?>(c.Name),
            _ => new DataField<string>(c.Name, true),
        }).ToArray();
        WriteParquetAsync(table, fields, stream, cancellationToken).AsTask().GetAwaiter().GetResult();
    }

    static async ValueTask WriteParquetAsync(ExportTable table, DataField[] fields, Stream stream, CancellationToken cancellationToken)
    {
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, cancellationToken: cancellationToken);
        var chunk = new List<object?[]>(Math.Min(RowGroupRows, 65_536));
        foreach (var row in table.Rows)
        {
            chunk.Add(row);
            if (chunk.Count == RowGroupRows)
            {
                await WriteRowGroup(writer, fields, table.Columns, chunk, cancellationToken);
                chunk.Clear();
            }
        }
        if (chunk.Count > 0) await WriteRowGroup(writer, fields, table.Columns, chunk, cancellationToken);
    }

    static async ValueTask WriteRowGroup(ParquetWriter writer, DataField[] fields, IReadOnlyList<TableColumn> columns, List<object?[]> rows, CancellationToken cancellationToken)
    {
        using var group = writer.CreateRowGroup();
        for (int c = 0; c < fields.Length; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (columns[c].Kind)
            {
                case ColumnKind.Integer:
                    await group.WriteAsync<long>(fields[c], rows.Select(r => (long?)r[c]).ToArray(), cancellationToken: cancellationToken);
                    break;
                case ColumnKind.Real:
                    await group.WriteAsync<double>(fields[c], rows.Select(r => (double?)r[c]).ToArray(), cancellationToken: cancellationToken);
                    break;
                case ColumnKind.Boolean:
                    await group.WriteAsync<bool>(fields[c], rows.Select(r => (bool?)r[c]).ToArray(), cancellationToken: cancellationToken);
                    break;
                default:
                    await group.WriteAsync(fields[c], rows.Select(r => (string?)r[c]).ToArray()!);
                    break;
            }
        }
    }
}
