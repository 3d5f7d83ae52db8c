namespace Shatter.Results;

/// <summary>The value type of an exported column: text, 64-bit integer, double, or boolean (every kind may be null).</summary>
public enum ColumnKind
{
    Text,
    Integer,
    Real,
    Boolean,
}
