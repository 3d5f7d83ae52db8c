using Shatter.Reporting;

namespace Shatter.Tests.Reporting;

public sealed class CsvTableTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")")]
    [InlineData("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("true labels", "true labels")]
    [InlineData("", "")]
    public void A_text_cell_a_spreadsheet_would_run_as_a_formula_starts_with_an_apostrophe(string text, string written) =>
        Assert.Equal(written, CsvTable.Format(text));

    [Fact]
    public void Negative_numbers_stay_numbers()
    {
        Assert.Equal("-0.5", CsvTable.Format(-0.5));
        Assert.Equal("-3", CsvTable.Format(-3));
        var table = new CsvTable("label", "value");
        table.Add("=1+1", -1.25);
        Assert.Equal("label,value\n'=1+1,-1.25\n", table.ToCsv().ReplaceLineEndings("\n"));
    }
}
