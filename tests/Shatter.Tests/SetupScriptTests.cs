namespace Shatter.Tests;

/// <summary>
/// Issue 18, setup for the main job: scripts/setup.sh installs only what <c>./shatter reproduce figure1</c> needs (the
/// embedded data's packages), and scripts/test.sh installs what only the tests and benchmarks use (Chromium,
/// PostgreSQL, PyTorch), so a newcomer does not wait for packages the main job never touches.
/// </summary>
public sealed class SetupScriptTests
{
    static string Script(string name) => Checkout.File("scripts", name);

    /// <summary>The Debian packages a script installs: the words after <c>install_packages</c> on its command lines.</summary>
    static List<string> Installed(string script) =>
        [.. File.ReadLines(Script(script)).Select(l => l.Trim())
            .Where(l => l.StartsWith("install_packages ", StringComparison.Ordinal))
            .SelectMany(l => l.Split('#')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))];

    [Fact]
    public void Setup_installs_only_what_the_main_job_needs_and_the_test_command_installs_the_rest()
    {
        var setup = Installed("setup.sh");
        Assert.Equal(["dataset-fashion-mnist", "fortunes"], setup.Order(StringComparer.Ordinal));
        var tests = Installed("test.sh");
        foreach (var only in new[] { "chromium", "postgresql", "python3-torch" })
        {
            Assert.DoesNotContain(only, setup);
            Assert.Contains(only, tests);
        }
        Assert.Contains(File.ReadLines(Script("test.sh")), l => l.Contains("scripts/setup.sh\"", StringComparison.Ordinal));   // and sets up the main job first
    }
}
