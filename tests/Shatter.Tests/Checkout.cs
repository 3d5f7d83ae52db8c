namespace Shatter.Tests;

/// <summary>
/// The checkout the tests were built from: the folder holding Shatter.sln above the test binaries, for the tests that
/// read its scripts, docs, examples and sources.
/// </summary>
public static class Checkout
{
    public static string Root { get; } = Find();

    /// <summary><paramref name="parts"/> below the checkout's root.</summary>
    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (System.IO.File.Exists(Path.Combine(d.FullName, "Shatter.sln"))) return d.FullName;
        throw new InvalidOperationException("cannot find the checkout (Shatter.sln) above the test binaries");
    }
}
