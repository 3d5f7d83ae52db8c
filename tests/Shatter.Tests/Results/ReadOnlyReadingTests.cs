using Shatter.Tests.Cli;

namespace Shatter.Tests.Results;

/// <summary>
/// The reading commands (runs, export-db, report, status) open a results database read-only: they leave no -wal or
/// -shm file beside it, work on a read-only mount, and a damaged database (a corrupted page, a garbage summary) is one
/// sentence naming the file, exit 2, from each of them alike.
/// </summary>
public sealed class ReadOnlyReadingTests : IDisposable
{
    readonly SweptDatabase swept = new();
    string Out => Path.Combine(swept.Dir, "out");

    public void Dispose() => swept.Dispose();

    IEnumerable<(string Name, CliRunner.Result Result)> ReadAll(string db)
    {
        yield return ("runs", CliRunner.Run("runs", "--db", db));
        yield return ("export-db", CliRunner.Run("export-db", "--db", db, "--out", Path.Combine(Out, "export")));
        yield return ("report", CliRunner.Run("report", "--db", db, "--scale", "s", "--out", Path.Combine(Out, "report")));
        yield return ("status", CliRunner.Run("status", "--db", db));
    }

    [Fact]
    public void Reading_commands_leave_no_journal_files_and_work_on_a_read_only_folder()
    {
        Assert.False(File.Exists(swept.Db + "-wal"));
        foreach (var (name, result) in ReadAll(swept.Db))
        {
            Assert.True(result.ExitCode == 0, $"{name}: {result.Output}{result.Error}");
            Assert.False(File.Exists(swept.Db + "-wal") || File.Exists(swept.Db + "-shm"), $"{name} left a -wal or -shm file beside the database it only read");
        }
        using var folder = new ReadOnlyFolder(Path.Combine(swept.Dir, "ro"), d => File.Copy(swept.Db, Path.Combine(d, "shatter.db")));
        foreach (var (name, result) in ReadAll(Path.Combine(folder.Path, "shatter.db")))
            Assert.True(result.ExitCode == 0, $"{name} on a read-only folder: {result.Output}{result.Error}");
    }

    [Fact]
    public void A_corrupted_page_is_one_sentence_naming_the_file_from_every_reading_command()
    {
        var db = Path.Combine(swept.Dir, "corrupt.db");
        File.Copy(swept.Db, db);
        using (var f = new FileStream(db, FileMode.Open, FileAccess.ReadWrite))
        {
            Assert.True(f.Length >= 4 * 4096, $"the test database has only {f.Length} bytes");
            for (long page = 1; page * 4096 < f.Length; page++)   // every page after the first (the schema): garbage headers
            {
                f.Position = page * 4096;
                f.Write(Enumerable.Repeat((byte)0xA5, 64).ToArray());
            }
        }
        foreach (var (name, result) in ReadAll(db))
        {
            Assert.True(result.ExitCode == 2, $"{name}: exit {result.ExitCode}: {result.Error}");
            Assert.Contains($"the results database {db} is damaged (", result.Error);
            Assert.Single(result.Error.Trim().Split('\n'));
        }
    }

    [Fact]
    public void A_garbage_summary_is_one_sentence_from_runs_and_report_alike()
    {
        string hash;
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={swept.Db};Pooling=False"))
        {
            c.Open();
            using var pick = c.CreateCommand();
            pick.CommandText = "SELECT hash FROM runs WHERE status = 'done' ORDER BY hash LIMIT 1";
            hash = (string)pick.ExecuteScalar()!;
            using var damage = c.CreateCommand();
            damage.CommandText = $"UPDATE runs SET summary_json = '{{\"epochs\": 3, garbage' WHERE hash = '{hash}'";
            damage.ExecuteNonQuery();
        }
        foreach (var (name, result) in ReadAll(swept.Db).Where(r => r.Name is "runs" or "report" or "export-db"))
        {
            Assert.True(result.ExitCode == 2, $"{name}: exit {result.ExitCode}: {result.Output}{result.Error}");
            Assert.Contains($"the results database {swept.Db} holds a damaged summary for run {hash} (", result.Error);
            Assert.DoesNotContain($"done {hash}", result.Output);
        }
    }
}
