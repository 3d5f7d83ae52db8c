using Shatter.Data;

namespace Shatter.Tests.Data;

public sealed class BadInputTests
{
    [Theory]
    [MemberData(nameof(BrokenData.Names), MemberType = typeof(BrokenData))]
    public void Each_bad_input_ends_in_one_sentence_naming_the_file_and_the_problem(string name)
    {
        using var t = new TempFolder();
        var c = BrokenData.Cases[name](t);
        var e = Assert.Throws<ShatterException>(() => DatasetCatalog.Load(c.Dataset, c.DataDir).Dispose());
        Assert.Contains(c.Names, e.Message);
        Assert.True(e.Message.Contains(c.Problem, StringComparison.Ordinal), $"\"{c.Problem}\" is not in: {e.Message}");
        Assert.DoesNotContain('\n', e.Message);
        Assert.EndsWith(".", e.Message);
    }
}
