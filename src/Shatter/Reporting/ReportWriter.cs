using System.Globalization;
using System.Net;
using System.Text;

namespace Shatter.Reporting;

/// <summary>
/// The one writer every report section shares: headings, paragraphs, lists, findings, figures (PNG embedded
/// in the page, PNG and SVG under figures/) and tables (HTML, optionally sortable, and CSV under tables/).
/// Names of figures and tables are unique per report: a second use of a name is a programming error. Names
/// carry user text (spec names, models, axis labels), so every text and attribute is HTML-escaped and a
/// name becomes a file only as a safe slug (<see cref="Slug"/>) inside figures/ or tables/. Those folders are under
/// <paramref name="outDir"/>, or under its subfolder <paramref name="assets"/> (a page beside other files, e.g. theory.html).
/// </summary>
public sealed class ReportWriter(string outDir, string assets = "")
{
    readonly StringBuilder body = new();
    readonly List<string> figures = [], tables = [];
    readonly HashSet<string> names = [];
    readonly HashSet<string> files = new(StringComparer.OrdinalIgnoreCase);  // "figures/slug": one file per name, also on case-blind file systems

    public string OutDir => outDir;
    public IReadOnlyList<string> Figures => figures;
    public IReadOnlyList<string> Tables => tables;
    public string Html => body.ToString();

    public void Heading(int level, string text, string? id = null) =>
        body.Append(CultureInfo.InvariantCulture, $"<h{level}{(id is null ? "" : $" id=\"{Esc(id)}\"")}>{Esc(text)}</h{level}>\n");

    public void Paragraph(string text) => body.Append(CultureInfo.InvariantCulture, $"<p>{Esc(text)}</p>\n");

    public void List(IEnumerable<string> items)
    {
        body.Append("<ul>");
        foreach (var i in items) body.Append(CultureInfo.InvariantCulture, $"<li>{Esc(i)}</li>");
        body.Append("</ul>\n");
    }

    /// <summary>The findings of a section under their own heading (nothing when there are none).</summary>
    public void Findings(IReadOnlyList<string> findings)
    {
        if (findings.Count == 0) return;
        Heading(3, "Findings");
        body.Append("<ul class=\"findings\">");
        foreach (var f in findings) body.Append(CultureInfo.InvariantCulture, $"<li>{Esc(f)}</li>");
        body.Append("</ul>\n");
    }

    public void KeyValues(IEnumerable<(string Key, string Value)> rows)
    {
        body.Append("<table class=\"header\">");
        foreach (var (k, v) in rows) body.Append(CultureInfo.InvariantCulture, $"<tr><th>{Esc(k)}</th><td>{Esc(v)}</td></tr>");
        body.Append("</table>\n");
    }

    public void Figure(Chart chart, string name, string caption)
    {
        var file = Claim(name, "figures");
        var png = chart.Save(Path.Combine(outDir, assets), file);
        figures.Add(Path.Combine(outDir, assets, "figures", file + ".png"));
        figures.Add(Path.Combine(outDir, assets, "figures", file + ".svg"));
        body.Append(CultureInfo.InvariantCulture, $"<figure><img alt=\"{Esc(name)}\" width=\"{Chart.Width}\" height=\"{Chart.Height}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"><figcaption>{Esc(caption)} (<a href=\"{Href("figures", file + ".svg")}\">SVG</a>, <a href=\"{Href("figures", file + ".png")}\">PNG</a>)</figcaption></figure>\n");
    }

    /// <summary>Writes tables/NAME.csv and, when <paramref name="show"/>, the table in the page; <paramref name="sortable"/> tables sort on a header click.</summary>
    public void Table(CsvTable table, string name, string? caption, bool show = true, bool sortable = false)
    {
        var file = Claim(name, "tables");
        var path = Path.Combine(outDir, assets, "tables", file + ".csv");
        AtomicFile.WriteAllText(path, table.ToCsv());
        tables.Add(path);
        if (caption is not null) Paragraph(caption);
        if (show)
        {
            body.Append(CultureInfo.InvariantCulture, $"<div class=\"table\"><table{(sortable ? " class=\"sortable\"" : "")}><thead><tr>");
            foreach (var c in table.Columns) body.Append(CultureInfo.InvariantCulture, $"<th>{Esc(c.Replace('_', ' '))}</th>");
            body.Append("</tr></thead><tbody>\n");
            foreach (var row in table.Rows)
            {
                body.Append("<tr>");
                foreach (var cell in row) body.Append(CultureInfo.InvariantCulture, $"<td>{Esc(Shorten(cell))}</td>");
                body.Append("</tr>\n");
            }
            body.Append("</tbody></table></div>\n");
        }
        body.Append(CultureInfo.InvariantCulture, $"<p class=\"csv\"><a href=\"{Href("tables", file + ".csv")}\">{Esc(file)}.csv</a></p>\n");
    }

    /// <summary>Claims <paramref name="name"/> in <paramref name="folder"/> and returns its file stem: its slug, made unique ("-2", "-3") where two names share one.</summary>
    string Claim(string name, string folder)
    {
        if (!names.Add(folder + "/" + name)) throw new InvalidOperationException($"the report already has {folder} named {name}");
        var slug = Slug(name);
        var file = slug;
        for (int i = 2; !files.Add(folder + "/" + file); i++) file = $"{slug}-{i.ToString(CultureInfo.InvariantCulture)}";
        return file;
    }

    /// <summary>
    /// A file stem that stays inside its folder whatever the name: ASCII letters, digits, '-', '_' and '.' kept, every
    /// other run of characters one '-', no leading or trailing '-' or '.', at most 100 characters; "unnamed" for nothing left.
    /// </summary>
    public static string Slug(string name)
    {
        var b = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.') b.Append(c);
            else if (b.Length > 0 && b[^1] != '-') b.Append('-');  // '-' itself, and every other character: one '-' per run
        }
        var slug = b.ToString().Trim('-', '.');
        if (slug.Length > 100) slug = slug[..100].TrimEnd('-', '.');
        return slug.Length == 0 ? "unnamed" : slug;
    }

    /// <summary>A relative link to a file the writer wrote, percent-encoded and escaped for an attribute.</summary>
    string Href(string folder, string file) => Esc((assets.Length == 0 ? "" : Uri.EscapeDataString(assets) + "/") + folder + "/" + Uri.EscapeDataString(file));

    /// <summary>Numbers with many digits shortened to 4 significant places in the HTML (the CSV keeps them).</summary>
    static string Shorten(string cell) =>
        cell.Length > 7 && double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && cell.Contains('.')
            ? x.ToString("G4", CultureInfo.InvariantCulture) : cell;

    public static string Esc(string? s) => WebUtility.HtmlEncode(s ?? "");

    /// <summary>
    /// The page: inline style, the body, a small inline script that sorts tables of class "sortable" on a
    /// header click (numbers as numbers), and one that records how many images loaded and how many tables hide rows (checked by the tests).
    /// </summary>
    public string Page(string title) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>{{Esc(title)}}</title>
        <style>
        body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; background: #fff; }
        h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
        table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
        th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; }
        table.header th { background: #f4f4f4; }
        table.sortable th { cursor: pointer; background: #f8f8f8; }
        div.table { overflow-x: auto; }
        figure { margin: 1em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
        figcaption, p.csv { font-size: 0.85em; color: #555; }
        </style>
        </head>
        <body>
        {{body}}
        <script>
        // sortable tables: click a header to sort by that column, again to reverse
        document.querySelectorAll('table.sortable').forEach(function (table) {
          table.querySelectorAll('th').forEach(function (th, col) {
            th.addEventListener('click', function () {
              var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
              var dir = th.dataset.dir === 'asc' ? -1 : 1;
              th.dataset.dir = dir === 1 ? 'asc' : 'desc';
              var key = function (r) { var t = r.cells[col].textContent, n = parseFloat(t); return isNaN(n) || !/^[-+0-9.eE]+$/.test(t) ? t : n; };
              rows.sort(function (a, b) {
                var x = key(a), y = key(b);
                if (typeof x !== typeof y) return (typeof x === 'number' ? -1 : 1) * dir;
                return (x < y ? -1 : x > y ? 1 : 0) * dir;
              });
              rows.forEach(function (r) { body.appendChild(r); });
            });
          });
        });
        // for the headless-browser test: how many images there are and how many decoded
        window.addEventListener('load', function () {
          var images = Array.prototype.slice.call(document.images);
          document.body.dataset.images = String(images.length);
          document.body.dataset.imagesLoaded = String(images.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length);
          document.body.dataset.sortableTables = String(document.querySelectorAll('table.sortable').length);
          // tables are shown whole: none may hide rows behind a vertical scroll
          document.body.dataset.clippedTables = String(Array.prototype.slice.call(document.querySelectorAll('div.table'))
            .filter(function (d) { return d.scrollHeight > d.clientHeight + 1; }).length);
        });
        </script>
        </body>
        </html>
        """;
}
