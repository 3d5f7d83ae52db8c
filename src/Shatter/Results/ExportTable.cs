namespace Shatter.Results;

/// <summary>
/// A table to export: its name (the file name without extension), columns, and rows, each cell null or
/// of its column's kind (string, long, double, bool). Rows may be streamed from the database, so they are
/// enumerated once, while the <see cref="ResultsReader"/> they came from is open.
/// </summary>
public sealed record ExportTable(string Name, IReadOnlyList<TableColumn> Columns, IEnumerable<object?[]> Rows);
