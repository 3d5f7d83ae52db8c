using Shatter.Corruptions;
using Shatter.Tests.Data;

namespace Shatter.Tests.Corruptions;

public sealed class TransitionFileTests
{
    [Fact]
    public void A_valid_matrix_is_read_with_comments_and_blank_lines_skipped()
    {
        var m = TransitionFile.Parse(["# 3 classes", "0.8,0.2,0", "", " 0, 1 ,0", "0.25,0.25,0.5"], "t.csv", 3);
        Assert.Equal(0.2, m[0, 1]);
        Assert.Equal(1, m[1, 1]);
        Assert.Equal(0.5, m[2, 2]);
    }

    [Theory]
    [InlineData(new[] { "0.5,0.5", "1,0" }, 3, "has 2 entries but the dataset has 3 classes")]
    [InlineData(new[] { "0.5,0.4,0", "1,0,0", "0,0,1" }, 3, "line 1 sums to 0.9, not 1")]
    [InlineData(new[] { "1,0,0", "x,1,0", "0,0,1" }, 3, "'x' is not a number")]
    [InlineData(new[] { "1,0,0", "1.5,-0.5,0", "0,0,1" }, 3, "1.5 is not a probability")]
    [InlineData(new[] { "1,0,0", "0,1,0" }, 3, "has 2 rows but the dataset has 3 classes")]
    public void Bad_matrices_are_one_sentence_errors_naming_the_line(string[] lines, int classes, string expected)
    {
        var e = Assert.Throws<ShatterException>(() => TransitionFile.Parse(lines, "t.csv", classes));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("t.csv", e.Message);
        Assert.EndsWith(".", e.Message);
    }

    [Fact]
    public void A_missing_file_is_a_one_sentence_error()
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<ShatterException>(() => TransitionFile.Read(dir["nope.csv"], 10));
        Assert.Contains("cannot read the transition matrix", e.Message);
    }
}
