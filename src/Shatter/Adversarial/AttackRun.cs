using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Shatter.Corruptions;
using Shatter.Data;
using Shatter.Models;
using Shatter.Runtime;
using Shatter.Training;
using TorchSharp;
using static TorchSharp.torch;
using Shatter.Results;

namespace Shatter.Adversarial;

/// <summary>
/// <c>shatter attack</c>: rebuilds a finished run's data exactly (same subsets, corruptions and seeds, from
/// its run.json) without the whitening, loads its final weights, and measures accuracy under an L∞ attack
/// for each ε on the test set and the training set. Writes attack-&lt;method&gt;.json and .csv into the run folder.
/// </summary>
public static class AttackRun
{
    public const int DefaultSteps = 10;

    public static AttackReport Run(string runDir, AttackMethod method, IReadOnlyList<(double Value, string Text)> epsilons, int steps,
        int maxExamples = 0, string? dataDir = null, int threads = 0, int batch = 256)
    {
        if (epsilons.Count == 0) throw new ShatterException("--eps lists no ε; give sizes such as 0,1/255,2/255,4/255,8/255.");
        if (steps < 1) throw new ShatterException($"--steps must be a positive number of PGD steps, not {steps}.");
        if (maxExamples < 0) throw new ShatterException($"--max-examples must be 0 (all) or positive, not {maxExamples}.");
        var run = new RunFolder(runDir);
        if (!Directory.Exists(runDir)) throw new ShatterException($"no run folder at {runDir}; give the folder 'shatter train --out' wrote (or results/runs/<hash>).");
        if (!File.Exists(run.SummaryJson))
            throw new ShatterException($"{runDir} holds no finished run (no summary.json); attack a run that has finished training.");
        var weights = Checkpoint.LatestModelFile(run)
            ?? throw new ShatterException($"{runDir} holds no model checkpoint; attack a run trained by this version of shatter, whose folder keeps checkpoint.json.");
        var config = ReadConfig(run);
        if (dataDir is not null) config = config with { DataDir = dataDir };
        if (TrainingData.IsText(config))
            throw new ShatterException($"{runDir} trained on the texts of {config.Dataset}; the attacks move pixels along input gradients, which token ids do not have.");
        int usedThreads = TorchRuntime.SetThreads(threads);
        var clock = Stopwatch.StartNew();

        // the run's data, minus the whitening (the attack moves pixels; forward whitens)
        using var data = TrainingData.Prepare(config with { Whiten = false }, CPU);
        torch.manual_seed(Seeds.Derive(config.Seed, "init"));
        using var model = ModelRegistry.Create(config.Model, data.InputShape, data.Classes, new ModelOptions(config.Dropout, TorchScriptSha256: config.ModelSha256));
        model.load(weights);
        model.eval();
        Tensor Forward(Tensor pixels) => model.call(config.Whiten ? Preprocessing.PerImageStandardization(pixels) : pixels);
        bool box = config.Inputs != InputMode.Gaussian;

        var points = new List<AttackPoint>();
        foreach (var (set, x, y) in new[] { ("test", data.TestX, data.TestY), ("train", data.TrainEvalX, data.TrainY) })
        {
            long n = maxExamples > 0 ? Math.Min(maxExamples, x.shape[0]) : x.shape[0];
            using var xs = x.narrow(0, 0, n);
            using var ys = y.narrow(0, 0, n);
            foreach (var (eps, text) in epsilons)
            {
                var robust = LinfAttack.Robust(Forward, xs, ys, method, eps, steps, box, batch);
                points.Add(new AttackPoint(set, eps, text, n == 0 ? 0 : robust.Count(r => r) / (double)n, (int)n));
            }
        }
        var report = new AttackReport
        {
            RunDir = runDir, Model = config.Model, Dataset = config.Dataset, LabelNoise = config.LabelNoise,
            LabelNoiseMode = LabelNoise.Name(config.LabelNoiseMode), Inputs = config.Inputs.ToString().ToLowerInvariant(),
            Method = method, Steps = method == AttackMethod.Pgd ? steps : 1, StepSize = method == AttackMethod.Pgd ? $"2.5·ε/{steps}" : "ε",
            Whitened = config.Whiten, PixelBox = box, Points = points, Seconds = clock.Elapsed.TotalSeconds, Threads = usedThreads,
        };
        var name = method.ToString().ToLowerInvariant();
        AtomicFile.WriteAllText(Path.Combine(runDir, $"attack-{name}.json"), JsonSerializer.Serialize(report, Json.Options));
        AtomicFile.WriteAllText(Path.Combine(runDir, $"attack-{name}.csv"), Csv(report));
        return report;
    }

    /// <summary>
    /// Where <c>shatter attack</c> stores its points: <paramref name="db"/> if given, a SQLite file or a postgresql:// URL
    /// (then the run folder must be named by its run hash, as results/runs/&lt;hash&gt; is), else the shatter.db beside the
    /// runs/ folder holding the run, else nowhere (a 'shatter train --out' folder). Null: not stored.
    /// </summary>
    public static (DatabaseAddress Address, string Hash)? DatabaseFor(string runDir, string? db)
    {
        var full = System.IO.Path.GetFullPath(runDir.TrimEnd('/', System.IO.Path.DirectorySeparatorChar));
        var hash = System.IO.Path.GetFileName(full);
        bool named = hash.Length == Experiments.RunIdentity.Length && hash.All(char.IsAsciiHexDigitLower);
        if (db is not null)
        {
            var address = DatabaseAddress.Parse(db);
            if (!address.IsPostgres && !File.Exists(address.File))
                throw new ShatterException($"--db: no results database at {db}; give the shatter.db a sweep wrote (or its postgresql:// URL), or leave --db out.");
            if (!named) throw new ShatterException($"--db stores points by run hash, and {runDir} is not named by one; attack a folder results/runs/<hash> of that database, or leave --db out.");
            return (address, hash);
        }
        var parent = System.IO.Path.GetDirectoryName(full);
        if (!named || parent is null || System.IO.Path.GetFileName(parent) != "runs") return null;
        var beside = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(parent)!, "shatter.db");
        return File.Exists(beside) ? (DatabaseAddress.Parse(beside), hash) : null;
    }

    /// <summary>
    /// The finished runs of a spec in a results folder, for <c>shatter attack --spec</c>: (hash, run folder under
    /// <paramref name="resultsDir"/>/runs) in grid order, from <paramref name="db"/> (a SQLite file or a postgresql:// URL;
    /// default <paramref name="resultsDir"/>/shatter.db). The scale may be left out when the database holds the spec at
    /// one scale only. A missing database, spec or scale, or no finished run, is a one-sentence error.
    /// </summary>
    public static IReadOnlyList<(string Hash, string Dir)> RunsOf(string resultsDir, string spec, string? scale, DatabaseAddress? db = null)
    {
        var address = db ?? DatabaseAddress.Parse(System.IO.Path.Combine(resultsDir, "shatter.db"));
        using var store = Stores.OpenExisting(address);
        var where = address.Display;
        var scales = store.Sections().Where(s => s.Spec == spec).Select(s => s.Scale).ToList();
        if (scales.Count == 0) throw new ShatterException($"{where} holds no runs of the spec '{spec}'; run 'shatter reproduce {spec}' first, or name a spec it holds.");
        if (scale is null)
        {
            if (scales.Count > 1) throw new ShatterException($"{where} holds '{spec}' at the scales {string.Join(", ", scales)}; choose one with --scale.");
            scale = scales[0];
        }
        else if (!scales.Contains(scale))
            throw new ShatterException($"{where} holds '{spec}' at {string.Join(", ", scales)}, not at scale '{scale}'; choose one of those with --scale.");
        var done = store.Runs(spec, scale).Where(r => r.Done).OrderBy(r => r.Order).Select(r => (r.Hash, System.IO.Path.Combine(resultsDir, "runs", r.Hash))).ToList();
        if (done.Count == 0) throw new ShatterException($"no run of '{spec}' at scale '{scale}' has finished in {where}; let its sweep finish first.");
        return done;
    }

    /// <summary>"0,1/255,0.01" → (value, text) pairs; each ε a number or fraction in [0, 1].</summary>
    public static IReadOnlyList<(double Value, string Text)> ParseEpsilons(string text)
    {
        var list = new List<(double, string)>();
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            double value = double.NaN;
            var parts = raw.Split('/');
            bool ok = parts.Length switch
            {
                1 => double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out value),
                2 => TryFraction(parts[0], parts[1], out value),
                _ => false,
            };
            if (!ok || !double.IsFinite(value))
                throw new ShatterException($"--eps: '{raw}' is not a number or fraction; write sizes such as 0,1/255,0.01.");
            if (value < 0 || value > 1)
                throw new ShatterException($"--eps: {raw} is outside [0, 1]; ε is in pixel units, where 1 is the whole range (8/255 is a common size).");
            list.Add((value, raw));
        }
        if (list.Count == 0) throw new ShatterException("--eps lists no ε; give sizes such as 0,1/255,2/255,4/255,8/255.");
        return list;
    }

    static bool TryFraction(string a, string b, out double value)
    {
        value = double.NaN;
        if (!double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var num)) return false;
        if (!double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var den) || den == 0) return false;
        value = num / den;
        return true;
    }

    public static AttackMethod ParseMethod(string text) => text.ToLowerInvariant() switch
    {
        "fgsm" => AttackMethod.Fgsm,
        "pgd" => AttackMethod.Pgd,
        _ => throw new ShatterException($"unknown attack method '{text}'; use fgsm or pgd."),
    };

    static TrainConfig ReadConfig(RunFolder run)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(run.RunJson));
            return doc.RootElement.GetProperty("config").Deserialize<TrainConfig>(Json.Options)
                ?? throw new JsonException("the config is null");
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ShatterException($"cannot read the run's configuration from {run.RunJson} ({e.Message.TrimEnd('.')}); attack a folder written by 'shatter train'.", e);
        }
    }

    static string Csv(AttackReport r)
    {
        var sb = new StringBuilder("method,steps,set,epsilon,epsilon_text,accuracy,examples\n");
        foreach (var p in r.Points)
            sb.Append(CultureInfo.InvariantCulture, $"{r.Method.ToString().ToLowerInvariant()},{r.Steps},{p.Set},{p.Epsilon:R},{p.EpsilonText},{p.Accuracy:R},{p.Examples}\n");
        return sb.ToString();
    }
}
