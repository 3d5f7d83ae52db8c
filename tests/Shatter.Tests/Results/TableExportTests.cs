using System.Globalization;
using Microsoft.Data.Sqlite;
using Parquet;
using Shatter.Cli;
using Shatter.Results;
using Shatter.Tests.Cli;

namespace Shatter.Tests.Results;

public sealed class TableExportTests : IClassFixture<SweptDatabase>, IDisposable
{
    readonly SweptDatabase db;
    readonly string outDir = Path.Combine(Path.GetTempPath(), "shatter-export-" + Guid.NewGuid().ToString("N"));

    public TableExportTests(SweptDatabase db) => this.db = db;

    public void Dispose()
    {
        Scratch.Delete(outDir);
    }

    /// <summary>A table read back: column names in file order, and each column's cells (null, string, long, double or bool).</summary>
    sealed record Read(IReadOnlyList<string> Names, Dictionary<string, List<object?>> Columns)
    {
        public int Rows => Columns.Count == 0 ? 0 : Columns.Values.First().Count;
        public object? this[string column, int row] => Columns[column][row];
    }

    static Read ReadParquet(string path) => ReadParquetAsync(path).GetAwaiter().GetResult();

    static async Task<Read> ReadParquetAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var fields = reader.Schema.GetDataFields();
        var columns = fields.ToDictionary(f => f.Name, _ => new List<object?>());
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int n = checked((int)group.RowCount);
            foreach (var f in fields)
            {
                Assert.True(f.IsNullable, $"{f.Name} is not nullable");
                if (f.ClrType == typeof(long)) { var a = new long?[n]; await group.ReadAsync<long>(f, a); columns[f.Name].AddRange(a.Select(v => (object?)v)); }
                else if (f.ClrType == typeof(double)) { var a = new double?[n]; await group.ReadAsync<double>(f, a); columns[f.Name].AddRange(a.Select(v => (object?)v)); }
                else if (f.ClrType == typeof(bool)) { var a = new bool?[n]; await group.ReadAsync<bool>(f, a); columns[f.Name].AddRange(a.Select(v => (object?)v)); }
                else { var a = new string?[n]; await group.ReadAsync(f, a); columns[f.Name].AddRange(a); }
            }
        }
        return new Read([.. fields.Select(f => f.Name)], columns);
    }

    /// <summary>A CSV written by the export read back as text cells (RFC 4180 quoting); empty cells are null.</summary>
    static Read ReadCsv(string path)
    {
        var text = File.ReadAllText(path);
        var records = new List<List<string?>>();
        var record = new List<string?>();
        var cell = new System.Text.StringBuilder();
        bool quoted = false, wasQuoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = wasQuoted = true;
            else if (c is ',' or '\n')
            {
                record.Add(cell.Length == 0 && !wasQuoted ? null : cell.ToString());
                cell.Clear();
                wasQuoted = false;
                if (c == '\n') { records.Add(record); record = []; }
            }
            else cell.Append(c);
        }
        var names = records[0].Select(n => n!).ToList();
        var columns = names.ToDictionary(n => n, n => records.Skip(1).Select(r => r[names.IndexOf(n)]).Cast<object?>().ToList());
        Assert.All(records, r => Assert.Equal(names.Count, r.Count));
        return new Read(names, columns);
    }

    static double D(object? cell) => cell switch
    {
        double d => d,
        string s => double.Parse(s, CultureInfo.InvariantCulture),
        _ => throw new InvalidCastException($"{cell} is not a number"),
    };

    static long L(object? cell) => cell switch
    {
        long l => l,
        string s => long.Parse(s, CultureInfo.InvariantCulture),
        _ => throw new InvalidCastException($"{cell} is not an integer"),
    };

    CliRunner.Result Export(string format, string? database = null, string? into = null) =>
        CliRunner.Run("export-db", "--db", database ?? db.Db, "--format", format, "--out", into ?? outDir);

    [Theory]
    [InlineData("parquet")]
    [InlineData("csv")]
    public void The_exported_runs_epochs_steps_and_examples_equal_the_database(string format)
    {
        var r = Export(format);
        Assert.True(r.ExitCode == 0, r.Error);
        Func<string, Read> read = format == "parquet" ? ReadParquet : ReadCsv;
        // the four tables, and every other per-run table of the store (the retries' run_attempts; measures, attacks and memorization, none stored yet)
        Assert.Equal(["attacks", "capacity", "epochs", "examples", "measure_series", "measures", "memorization", "run_attempts", "runs", "steps"], Directory.GetFiles(outDir).Select(Path.GetFileNameWithoutExtension).Order());
        Assert.All(Directory.GetFiles(outDir), f => Assert.EndsWith("." + format, f));
        Assert.Empty(Directory.GetDirectories(outDir)); // no staging folder left

        using var store = SqliteStore.OpenExisting(db.Db);
        var attempts = read(Path.Combine(outDir, "run_attempts." + format));
        Assert.Equal(store.Attempts().Select(a => a.Hash).Order(), Enumerable.Range(0, attempts.Rows).Select(i => (string)attempts["hash", i]!).Order());
        var runs = store.Runs();
        var done = runs.Where(x => x.Done).Select(x => x.Hash).Distinct().ToList();

        var epochs = read(Path.Combine(outDir, "epochs." + format));
        Assert.Equal(["hash", "epoch", "step", "lr", "train_loss", "train_accuracy", "test_loss", "test_accuracy", "seconds"], epochs.Names);
        var expectedEpochs = done.SelectMany(h => store.Epochs(h).Select(e => (h, (long)e.Epoch, e.Step, e.LearningRate, e.TrainLoss, e.TrainAccuracy, e.TestLoss, e.TestAccuracy, e.Seconds))).Order();
        var actualEpochs = Enumerable.Range(0, epochs.Rows).Select(i => ((string)epochs["hash", i]!, L(epochs["epoch", i]), L(epochs["step", i]), D(epochs["lr", i]),
            D(epochs["train_loss", i]), D(epochs["train_accuracy", i]), D(epochs["test_loss", i]), D(epochs["test_accuracy", i]), D(epochs["seconds", i]))).Order();
        Assert.Equal(expectedEpochs, actualEpochs);

        var steps = read(Path.Combine(outDir, "steps." + format));
        Assert.Equal(done.SelectMany(h => store.Steps(h).Select(s => (h, s.Step, (long)s.Epoch, s.LearningRate, s.Loss))).Order(),
            Enumerable.Range(0, steps.Rows).Select(i => ((string)steps["hash", i]!, L(steps["step", i]), L(steps["epoch", i]), D(steps["lr", i]), D(steps["loss", i]))).Order());

        var examples = read(Path.Combine(outDir, "examples." + format));
        Assert.Equal(done.SelectMany(h => store.Examples(h).Select(x => (h, (long)x.Index, x.LabelChanged ? 1L : 0L, x.InputChanged ? 1L : 0L, (long)x.FirstFitEpoch))).Order(),
            Enumerable.Range(0, examples.Rows).Select(i => ((string)examples["hash", i]!, L(examples["idx", i]), L(examples["label_changed", i]), L(examples["input_changed", i]), L(examples["first_fit_epoch", i]))).Order());

        // one flat row per spec, scale and run, in the store's order: axes, status, summary and configuration side by side
        var table = read(Path.Combine(outDir, "runs." + format));
        Assert.Equal(runs.Count, table.Rows);
        for (int i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            Assert.Equal((run.Spec, run.Scale, run.Hash, run.Status), ((string)table["spec", i]!, (string)table["scale", i]!, (string)table["hash", i]!, (string)table["status", i]!));
            Assert.Equal(run.Point.GetValueOrDefault("randomization"), table["randomization", i]);
            Assert.Equal(run.Point.GetValueOrDefault("weight_decay"), table["weight_decay", i] is double wd ? wd.ToString(System.Globalization.CultureInfo.InvariantCulture) : table["weight_decay", i]);   // a number in Parquet (declared: the configuration's weight_decay)
            Assert.Equal(run.Attempts, L(table["attempts", i]));
            Assert.Equal(run.Config.LabelNoise, D(table["config_label_noise", i]));
            Assert.Equal(run.Config.Model, table["config_model", i]);
            if (run.Summary is { } s)
            {
                Assert.Equal(s.FinalTestAccuracy, D(table["final_test_accuracy", i]));
                Assert.Equal(s.StepsToFit, table["steps_to_fit", i] is null ? null : L(table["steps_to_fit", i]));
                Assert.Equal(s.WallSeconds, D(table["wall_seconds", i]));
            }
            else
            {
                Assert.Equal(RunStatus.Failed, run.Status);
                Assert.Null(table["final_test_accuracy", i]);
                Assert.Contains("synthetic failure", (string)table["error", i]!);
            }
        }
        if (format == "parquet")
        {
            Assert.IsType<long>(table["steps_to_fit", 0]);
            Assert.IsType<bool>(table["config_until_fit", 0]);
        }
    }

    [Fact]
    public void Nulls_new_columns_and_new_tables_of_the_store_are_exported_too()
    {
        // what other versions of the store do: a non-finite metric stored as NULL, a new runs column, an attempts table
        using var other = new SweptDatabase();
        string hash;
        using (var store = SqliteStore.OpenExisting(other.Db)) hash = store.Runs().First(x => x.Done).Hash;
        using (var c = new SqliteConnection($"Data Source={other.Db};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"""
                ALTER TABLE runs ADD COLUMN diverged INTEGER;
                UPDATE runs SET diverged = 1 WHERE hash = '{hash}';
                CREATE TABLE epochs_n(hash TEXT NOT NULL, epoch INTEGER NOT NULL, step INTEGER NOT NULL, lr REAL, train_loss REAL,
                    train_accuracy REAL, test_loss REAL, test_accuracy REAL, seconds REAL, PRIMARY KEY (hash, epoch)) WITHOUT ROWID;
                INSERT INTO epochs_n SELECT * FROM epochs; DROP TABLE epochs; ALTER TABLE epochs_n RENAME TO epochs;
                UPDATE epochs SET test_loss = NULL WHERE hash = '{hash}' AND epoch = 1;
                CREATE TABLE attempts(hash TEXT NOT NULL, attempt INTEGER NOT NULL, error TEXT, seconds REAL);
                INSERT INTO attempts VALUES ('{hash}', 1, 'killed', 2.5), ('{hash}', 2, NULL, 3.0);
                """;
            cmd.ExecuteNonQuery();
        }
        foreach (var format in new[] { "parquet", "csv" })
        {
            var into = Path.Combine(outDir, format);
            var r = Export(format, other.Db, into);
            Assert.True(r.ExitCode == 0, r.Error);
            Func<string, Read> read = format == "parquet" ? ReadParquet : ReadCsv;
            var epochs = read(Path.Combine(into, "epochs." + format));
            int row = Enumerable.Range(0, epochs.Rows).Single(i => (string)epochs["hash", i]! == hash && L(epochs["epoch", i]) == 1);
            Assert.Null(epochs["test_loss", row]);
            Assert.NotNull(epochs["train_loss", row]);
            var attempts = read(Path.Combine(into, "attempts." + format));
            Assert.Equal(["hash", "attempt", "error", "seconds"], attempts.Names);
            Assert.Equal(["killed", null], attempts.Columns["error"]);
            Assert.Equal([2.5, 3.0], attempts.Columns["seconds"].Select(D));
            var runs = read(Path.Combine(into, "runs." + format));
            Assert.Equal(1, Enumerable.Range(0, runs.Rows).Count(i => runs["diverged", i] is not null));
            Assert.Equal(1L, L(runs["diverged", runs.Columns["hash"].IndexOf(hash)]));
        }
    }

    [Fact]
    public void Exporting_beside_an_open_store_reads_what_it_committed_and_changes_nothing()
    {
        using var live = new SweptDatabase();
        using var store = SqliteStore.Open(live.Db); // as a running sweep holds it: WAL journal, connection open
        var config = new Shatter.Training.TrainConfig { Seed = 99 };
        store.Register("later", "s", [new PlannedRun(Shatter.Experiments.RunIdentity.Hash(config), config, new Dictionary<string, string> { ["seed"] = "99" }, 0)]);
        Assert.True(File.Exists(live.Db + "-wal"));
        var r = Export("csv", live.Db);
        Assert.True(r.ExitCode == 0, r.Error);
        var runs = ReadCsv(Path.Combine(outDir, "runs.csv"));
        int row = runs.Columns["spec"].IndexOf("later");
        Assert.Equal(("queued", null), (runs["status", row], runs["final_test_accuracy", row]));
        Assert.Equal(store.Runs().Count, runs.Rows);
        Assert.Equal("ok", store.IntegrityCheck());
    }

    [Fact]
    public void A_missing_database_or_an_unknown_format_writes_nothing()
    {
        var missing = Export("parquet", Path.Combine(outDir, "nope.db"), Path.Combine(outDir, "a"));
        Assert.Equal(ShatterApp.UserError, missing.ExitCode);
        Assert.Contains("no results database at", missing.Error);
        var unknown = Export("xlsx", into: Path.Combine(outDir, "b"));
        Assert.Equal(ShatterApp.UserError, unknown.ExitCode);
        Assert.Equal("error: unknown --format 'xlsx'; use parquet or csv.", unknown.Error.Trim());
        Assert.False(Directory.Exists(outDir));
        var noOut = CliRunner.Run("export-db", "--db", db.Db);
        Assert.Equal(ShatterApp.UserError, noOut.ExitCode);
        Assert.Contains("export-db needs --out DIR", noOut.Error);
    }

    [Fact]
    public void An_out_folder_that_cannot_be_written_is_one_sentence()
    {
        Directory.CreateDirectory(outDir);
        var file = Path.Combine(outDir, "a-file");
        File.WriteAllText(file, "x");
        var inside = Export("csv", into: Path.Combine(file, "export")); // a folder under a file: refused even to root
        Assert.Equal(ShatterApp.UserError, inside.ExitCode);
        Assert.Contains($"cannot write into {Path.Combine(file, "export")}", inside.Error);
        var onto = Export("csv", into: file);
        Assert.Equal(ShatterApp.UserError, onto.ExitCode);
        Assert.Contains("is a file; give --out a folder", onto.Error);
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Fact]
    public void An_export_that_fails_part_way_leaves_the_folder_as_it_was()
    {
        using var damaged = new SweptDatabase();
        using (var c = new SqliteConnection($"Data Source={damaged.Db};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE steps SET loss = 'abc' WHERE step = 3"; // text in a REAL column: SQLite keeps it
            Assert.True(cmd.ExecuteNonQuery() > 0);
        }
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "runs.parquet"), "an earlier export");
        var r = Export("parquet", damaged.Db);
        Assert.Equal(ShatterApp.UserError, r.ExitCode);
        Assert.Contains("holds 'abc', which is not a number", r.Error);
        // runs and epochs were complete before steps failed; none of them replaced anything, no staging folder is left
        Assert.Equal(["runs.parquet"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName));
        Assert.Equal("an earlier export", File.ReadAllText(Path.Combine(outDir, "runs.parquet")));
    }

    [Fact]
    public async Task A_table_larger_than_a_row_group_is_split_and_reads_back_whole()
    {
        int n = TableExport.RowGroupRows + 3;
        var table = new ExportTable("big", [new TableColumn("i", ColumnKind.Integer), new TableColumn("x", ColumnKind.Real)],
            Enumerable.Range(0, n).Select(i => new object?[] { (long)i, i % 7 == 0 ? null : i / 2.0 }));
        var dir = Path.Combine(Path.GetTempPath(), "shatter-rowgroups-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Assert.Single(TableExport.Write([table], "parquet", dir));
            await using var reader = await ParquetReader.CreateAsync(path);
            Assert.Equal(2, reader.RowGroupCount);
            var fields = reader.Schema.GetDataFields();
            long next = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var i = new long?[group.RowCount];
                var x = new double?[group.RowCount];
                await group.ReadAsync<long>(fields[0], i);
                await group.ReadAsync<double>(fields[1], x);
                for (int k = 0; k < i.Length; k++, next++)
                {
                    Assert.Equal(next, i[k]);
                    Assert.Equal(next % 7 == 0 ? null : next / 2.0, x[k]);
                }
            }
            Assert.Equal(n, next);
        }
        finally
        {
            Scratch.Delete(dir);
        }
    }
}
