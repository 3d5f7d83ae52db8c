using Microsoft.Data.Sqlite;
using Shatter.Experiments;
using Shatter.Results;

namespace Shatter.Tests.Experiments;

/// <summary>Retries within a sweep (<c>--retries</c>), the attempts the store keeps, and the heartbeat's resilience.</summary>
public sealed class SweepRetryTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "shatter-retry-" + Guid.NewGuid().ToString("N"));
    string Db => Path.Combine(dir, "shatter.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Scratch.Delete(dir);
    }

    static readonly ExperimentSpec Spec = SpecParser.Parse("""
        name: demo
        scales:
          s: { train_size: 20, epochs: 30, until_fit: true }
        grid:
          model: [mlp-1x512]
          label_noise: [0, 0.5]
          seed: [1, 2]
        """, "demo.yaml");

    SweepOptions Options => new() { ResultsDir = dir, PollInterval = TimeSpan.FromMilliseconds(10) };

    static bool Target(Shatter.Training.TrainConfig c) => c.LabelNoise == 0.5 && c.Seed == 2;

    string TargetHash(SqliteStore store) => store.Runs("demo", "s").Single(r => Target(r.Config)).Hash;

    [Fact]
    public void A_run_that_dies_unexpectedly_once_is_retried_in_the_same_sweep_and_both_attempts_are_stored()
    {
        int failures = 0;
        var fake = new FakeExecutor { FailWhen = c => Target(c) && failures++ == 0 };
        using var store = SqliteStore.Open(Db);
        var outcome = new Sweep(store, fake, Options).Run(Spec, "s", null, CancellationToken.None);
        Assert.Equal(new SweepOutcome(4, 4, 0, 4, Retried: 1), outcome);

        var hash = TargetHash(store);
        var calls = fake.Calls.Where(c => RunIdentity.Hash(c.Config) == hash).ToList();
        Assert.Equal(2, calls.Count);
        Assert.True(calls[1].Resume);   // the second attempt continues from what the first left in the folder
        var attempts = store.Attempts(hash);
        Assert.Equal([1, 2], attempts.Select(a => a.Attempt));
        Assert.Equal((AttemptOutcome.Failed, "InvalidOperationException: synthetic failure"), (attempts[0].Outcome, attempts[0].Error));
        Assert.Equal((AttemptOutcome.Done, (string?)null), (attempts[1].Outcome, attempts[1].Error));
        Assert.All(attempts, a => Assert.NotNull(a.FinishedAt));
        Assert.True(string.CompareOrdinal(attempts[0].FinishedAt, attempts[1].StartedAt) <= 0);
        var record = store.Runs("demo", "s").Single(r => r.Hash == hash);
        Assert.Equal((RunStatus.Done, 2), (record.Status, record.Attempts));
        // every other run: one attempt, done
        Assert.All(store.Runs("demo", "s").Where(r => r.Hash != hash), r => Assert.Equal([AttemptOutcome.Done], store.Attempts(r.Hash).Select(a => a.Outcome)));
    }

    [Fact]
    public void An_error_the_user_must_fix_is_attempted_once_and_not_retried()
    {
        var fake = new FakeExecutor { Before = c => { if (Target(c)) throw new ShatterException("no dataset files in /nowhere; give --data-dir the folder holding them."); } };
        using var store = SqliteStore.Open(Db);
        var outcome = new Sweep(store, fake, Options with { Retries = 5 }).Run(Spec, "s", null, CancellationToken.None);
        Assert.Equal(new SweepOutcome(4, 3, 1, 4, Retried: 0), outcome);
        var hash = TargetHash(store);
        Assert.Single(fake.Calls, c => RunIdentity.Hash(c.Config) == hash);
        var attempt = Assert.Single(store.Attempts(hash));
        Assert.Equal((AttemptOutcome.Failed, "no dataset files in /nowhere; give --data-dir the folder holding them."), (attempt.Outcome, attempt.Error));
        Assert.Equal(RunStatus.Failed, store.Runs("demo", "s").Single(r => r.Hash == hash).Status);
    }

    [Fact]
    public void Retries_zero_attempts_a_failing_run_once()
    {
        var fake = new FakeExecutor { FailWhen = Target };
        using var store = SqliteStore.Open(Db);
        var outcome = new Sweep(store, fake, Options with { Retries = 0 }).Run(Spec, "s", null, CancellationToken.None);
        Assert.Equal(new SweepOutcome(4, 3, 1, 4, Retried: 0), outcome);
        Assert.Single(store.Attempts(TargetHash(store)));
        Assert.Single(fake.Calls, c => Target(c.Config));
    }

    [Fact]
    public void A_run_that_keeps_failing_is_attempted_one_plus_retries_times_and_the_next_sweep_numbers_on()
    {
        var fake = new FakeExecutor { FailWhen = Target };
        using var store = SqliteStore.Open(Db);
        var outcome = new Sweep(store, fake, Options with { Retries = 2 }).Run(Spec, "s", null, CancellationToken.None);
        Assert.Equal(new SweepOutcome(4, 3, 1, 4, Retried: 1), outcome);
        var hash = TargetHash(store);
        Assert.Equal(Enumerable.Repeat(AttemptOutcome.Failed, 3), store.Attempts(hash).Select(a => a.Outcome));
        Assert.Equal("InvalidOperationException: synthetic failure", store.Runs("demo", "s").Single(r => r.Hash == hash).Error);

        fake.FailWhen = _ => false;
        var second = new Sweep(store, fake, Options).Run(Spec, "s", null, CancellationToken.None);
        Assert.Equal(new SweepOutcome(4, 4, 0, 1, Retried: 0), second);
        Assert.Equal([1, 2, 3, 4], store.Attempts(hash).Select(a => a.Attempt));
        Assert.Equal(AttemptOutcome.Done, store.Attempts(hash)[^1].Outcome);
        Assert.Equal(4, store.Runs("demo", "s").Single(r => r.Hash == hash).Attempts);
    }

    [Fact]
    public void A_store_from_before_attempts_were_recorded_gains_the_table_and_numbers_on_from_its_claims()
    {
        string hash;
        using (var store = SqliteStore.Open(Db))
        {
            store.Register("demo", "s", Spec.Expand("s"));
            hash = store.Claim("demo", "s", "w", new HashSet<string>(), TimeSpan.FromHours(1))!.Run.Hash;
            store.Fail(hash, "w", "boom");
            store.Claim("demo", "s", "w", new HashSet<string>(), TimeSpan.FromHours(1));   // claimed twice: attempts = 2
        }
        using (var raw = new SqliteConnection($"Data Source={Db};Pooling=False"))
        {
            raw.Open();
            using var drop = raw.CreateCommand();
            drop.CommandText = "DROP TABLE run_attempts";   // as an older shatter wrote it
            drop.ExecuteNonQuery();
        }
        using (var store = SqliteStore.Open(Db))
        {
            Assert.Empty(store.Attempts());
            Assert.Equal(2, store.BeginAttempt(hash, "w"));
            store.EndAttempt(hash, 2, AttemptOutcome.Done);
            Assert.Equal(3, store.BeginAttempt(hash, "w"));
            Assert.Equal([AttemptOutcome.Done, AttemptOutcome.Running], store.Attempts(hash).Select(a => a.Outcome));
            // a new attempt of the holder finds the previous one still running (it died without recording its end): marked lost
            Assert.Equal(4, store.BeginAttempt(hash, "w"));
            Assert.Equal([AttemptOutcome.Done, AttemptOutcome.Lost, AttemptOutcome.Running], store.Attempts(hash).Select(a => a.Outcome));
        }
    }

    [Fact]
    public void A_heartbeat_that_throws_anything_is_logged_and_beats_again_without_ending_the_process()
    {
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        int calls = 0;
        using (var heartbeat = new Heartbeat(() =>
               {
                   if (Interlocked.Increment(ref calls) % 2 == 1) throw new ObjectDisposedException("results store");
                   throw new InvalidOperationException("not a SQLite error");
               }, TimeSpan.FromMilliseconds(5), lines.Enqueue))
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (heartbeat.Failures < 6 && DateTime.UtcNow < deadline) Thread.Sleep(5);
            Assert.True(heartbeat.Failures >= 6, $"only {heartbeat.Failures} beats in 20 s");
        }
        // (had an exception escaped a beat, the test process would have died with it)
        Assert.Contains(lines, l => l.Contains("ObjectDisposedException") && l.Contains("the next one retries"));
        Assert.Contains(lines, l => l.Contains("InvalidOperationException: not a SQLite error"));

        // a log that throws too is survived
        using var quiet = new Heartbeat(() => throw new InvalidOperationException("x"), TimeSpan.FromMilliseconds(5), _ => throw new IOException("log gone"));
        var until = DateTime.UtcNow.AddSeconds(20);
        while (quiet.Failures < 3 && DateTime.UtcNow < until) Thread.Sleep(5);
        Assert.True(quiet.Failures >= 3);
    }
}
