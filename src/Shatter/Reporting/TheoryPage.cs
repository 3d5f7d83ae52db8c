using Shatter.Reporting.Sections;

namespace Shatter.Reporting;

/// <summary>
/// The theory section alone as a page, DIR/theory.html (figures and tables under DIR/theory/), rewritten by
/// <c>shatter kernel|expressivity --report DIR</c> from whatever theory results DIR holds; the same section, through the same
/// writer, as in the report of the folder's database.
/// </summary>
public static class TheoryPage
{
    public const string PageName = "theory.html";

    /// <summary>Writes DIR/theory.html from the theory results saved in <paramref name="dir"/> and returns its path.</summary>
    public static string Write(string dir)
    {
        var writer = new ReportWriter(dir, "theory");
        var section = new TheorySection();
        var context = new ReportContext(Path.Combine(dir, "theory"), "theory", [], _ => null, resultsFolder: dir);
        writer.Findings(section.Write(context, writer));
        var path = Path.Combine(dir, PageName);
        AtomicFile.WriteAllText(path, writer.Page($"Shatter: {section.Title}"));
        return path;
    }
}
