namespace Shatter.Results;

/// <summary>One column of an exported table: its name and value type.</summary>
public sealed record TableColumn(string Name, ColumnKind Kind);
