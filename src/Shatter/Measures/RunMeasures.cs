using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shatter.Models;
using Shatter.Training;
using TorchSharp;
using static TorchSharp.torch;
using Shatter.Results;

namespace Shatter.Measures;

/// <summary>
/// Computes the complexity measures of one finished run from its folder (run.json, weights-initial.pt,
/// weights-final.pt) on its own training set and (possibly corrupted) labels, rebuilt from its
/// configuration; writes measures.json into the folder. Groups already stored with the same settings are
/// skipped. Margins use the whole training set; the flatness groups a seeded subset (<see cref="FlatnessSettings"/>).
/// </summary>
public static class RunMeasures
{
    /// <summary>γ: the percentile of the training margins that the "/γ" measures divide by.</summary>
    public const double MarginPercentile = 0.10;

    /// <summary>The measures of <paramref name="runDir"/>, computing only the groups not yet stored with these settings.</summary>
    public static MeasureFile Compute(string runDir, IReadOnlyList<string> groups, FlatnessSettings flatness, Action<string>? progress = null)
    {
        var run = new RunFolder(runDir);
        if (!File.Exists(run.SummaryJson))
            throw new ShatterException($"{runDir} holds no finished run (no summary.json); finish it first, or leave it out.");
        var path = Path.Combine(runDir, MeasureFile.FileName);
        var file = Read(path) ?? new MeasureFile();
        var todo = groups.Where(g => !file.Groups.TryGetValue(g, out var settings) || settings != SettingsOf(g, flatness)).ToList();
        if (todo.Count == 0) return file;

        var (config, input, classes) = ReadRunJson(run.RunJson);
        if (TrainingData.IsText(config))
            throw new ShatterException($"{runDir} trained {config.Model} on the texts of {config.Dataset}; the complexity measures are defined for image models only so far.");
        using var scope = NewDisposeScope();
        using var data = TrainingData.Prepare(config, CPU);
        using var model = Load(config, input, classes, run.FinalWeights);
        using var initial = Load(config, input, classes, run.InitialWeights);
        foreach (var group in todo)
        {
            progress?.Invoke(group);
            var clock = Stopwatch.StartNew();
            foreach (var key in file.Values.Keys.Where(k => GroupOf(k) == group).ToList()) file.Values.Remove(key);
            if (group == MeasureGroups.Norms) NormGroup(file, config, input, classes, run, model, data);
            else if (group == MeasureGroups.OperatorNorms) OperatorGroup(file, config, input, classes, run);
            else FlatnessGroup(file, group, model, initial, data, flatness);
            file.Groups[group] = SettingsOf(group, flatness);
            file.Seconds[group] = clock.Elapsed.TotalSeconds;
            AtomicFile.WriteAllText(path, Json.Serialize(file)); // each group kept as soon as it is done
        }
        return file;
    }

    public static MeasureFile? Read(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<MeasureFile>(File.ReadAllText(path), Json.Options);
        }
        catch (JsonException e)
        {
            throw new ShatterException($"{path} is damaged ({e.Message.TrimEnd('.')}); delete it to compute the measures again.", e);
        }
    }

    static string SettingsOf(string group, FlatnessSettings f) => group switch
    {
        MeasureGroups.Norms => $"percentile={MarginPercentile}",
        MeasureGroups.OperatorNorms => "circular-fft",
        MeasureGroups.Sharpness => $"examples={f.Examples};box={f.SharpnessBox};steps={f.SharpnessSteps};seed={f.Seed}",
        _ => $"examples={f.Examples};draws={f.Draws};bisection={f.BisectionSteps};drop={f.AccuracyDrop};eps={f.MagnitudeEpsilon};delta={f.Delta};seed={f.Seed}",
    };

    /// <summary>Which group a stored value belongs to (by its name).</summary>
    public static string GroupOf(string name) =>
        name.StartsWith("pac_bayes_mag", StringComparison.Ordinal) ? MeasureGroups.PacBayesMagnitude
        : name.StartsWith("pac_bayes", StringComparison.Ordinal) ? MeasureGroups.PacBayes
        : name.StartsWith("sharpness", StringComparison.Ordinal) ? MeasureGroups.Sharpness
        : name.StartsWith("operator", StringComparison.Ordinal) ? MeasureGroups.OperatorNorms
        : MeasureGroups.Norms;

    /// <summary>The training configuration, model input shape and class count that run.json records.</summary>
    public static (TrainConfig Config, (int, int, int) Input, int Classes) ReadRunJson(string path)
    {
        if (!File.Exists(path)) throw new ShatterException($"no run.json in {Path.GetDirectoryName(path)}; give a folder that 'shatter train' or a sweep wrote.");
        try
        {
            var node = JsonNode.Parse(File.ReadAllText(path))!;
            var config = node["config"].Deserialize<TrainConfig>(Json.Options)!;
            var shape = node["resolved"]!["input_shape"]?.AsArray().Select(v => v!.GetValue<int>()).ToArray() ?? [0, 0, 0]; // a text run has none
            return (config, (shape[0], shape[1], shape[2]), node["resolved"]!["classes"]!.GetValue<int>());
        }
        catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new ShatterException($"{path} is damaged or not a run.json ({e.Message.TrimEnd('.')}); give a folder that 'shatter train' or a sweep wrote.", e);
        }
    }

    /// <summary>The run's model with the weights of <paramref name="weightsFile"/>, in eval mode, on the CPU.</summary>
    public static nn.Module<Tensor, Tensor> Load(TrainConfig config, (int, int, int) input, int classes, string weightsFile)
    {
        if (ModelRegistry.Describe(config.Model).Family == "wrn")
            throw new ShatterException($"measures support MLPs, AlexNet and Inception, not {config.Model}: a wide ResNet's pre-activation batch norm cannot be folded into a preceding layer.");
        var model = ModelRegistry.Create(config.Model, input, classes, new ModelOptions(config.Dropout, TorchScriptSha256: config.ModelSha256));
        RunWeights.Load(model, weightsFile);
        model.eval();
        return model;
    }

    static void NormGroup(MeasureFile file, TrainConfig config, (int C, int H, int W) input, int classes, RunFolder run, nn.Module<Tensor, Tensor> model, TrainingData data)
    {
        using var scope = NewDisposeScope();
        // margins over the whole training set with its training labels
        Tensor logits;
        using (var inference = inference_mode())
        {
            var parts = new List<Tensor>();
            long n = data.TrainEvalX.shape[0];
            for (long s = 0; s < n; s += 1000) parts.Add(model.call(data.TrainEvalX.narrow(0, s, Math.Min(1000, n - s))));
            logits = cat(parts, 0);
        }
        var margins = Margins.Of(logits, data.TrainY);
        int m = margins.Length;
        double gamma = Margins.Quantile(margins, MarginPercentile);
        var x64 = data.TrainEvalX.to_type(ScalarType.Float64);
        double inputNorm = x64.mul(x64).sum().sqrt().item<double>();
        var v = file.Values;
        v["train_size"] = m;
        v["parameters"] = ModelRegistry.ParameterCount(model);
        v["train_accuracy"] = margins.Count(x => x > 0) / (double)Math.Max(1, m);
        v["margin_p10"] = gamma;
        v["margin_min"] = margins.Length == 0 ? null : margins.Min();
        v["margin_median"] = Margins.Quantile(margins, 0.5);
        v["input_frobenius"] = inputNorm;
        file.Series["margin_percentiles"] = Margins.Percentiles(margins);
        if (LayersHidden(config) is { } hidden)
        {
            // the margins come from the logits and stay; what walks the layers is left out, and says why
            file.Notes[MeasureGroups.Norms] = hidden;
            return;
        }

        using var folded = Load(config, input, classes, run.FinalWeights);
        using var initial = Load(config, input, classes, run.InitialWeights);
        BatchNormFolding.Fold(folded);
        BatchNormFolding.Fold(initial);
        var layers = LayerWeights.Of(folded);
        var norms = NormMeasures.Of(layers.Select(l => l.Weight).ToList(), LayerWeights.Of(initial).Select(l => l.Weight).ToList());
        double path = NormMeasures.PathNorm(folded, input);

        v["layers"] = norms.Layers;
        v["convolution_layers"] = layers.Count(l => l.Convolution);
        var measures = new (string Name, double Value)[]
        {
            ("frobenius_sum", norms.FrobeniusSum), ("frobenius_product", norms.FrobeniusProduct),
            ("spectral_product", norms.SpectralProduct), ("spectral_sum", norms.SpectralSum),
            ("distance_from_init", norms.DistanceFromInit), ("path_norm", path), ("spectral_complexity", norms.SpectralComplexity),
        };
        foreach (var (name, value) in measures)
        {
            v[name] = Finite(value);
            // γ ≤ 0 (under 90% of the training set classified right): no margin to divide by
            v[name + "_over_margin"] = gamma > 0 ? Finite(value / gamma) : null;
            v[name + "_over_margin_sqrt_m"] = gamma > 0 ? Finite(value / (gamma * Math.Sqrt(m))) : null;
        }
        // Bartlett et al.'s normalisation: margin / (R_A · ‖X‖_F / m)
        double scale = norms.SpectralComplexity * inputNorm / Math.Max(1, m);
        file.Series["normalized_margin_percentiles"] = [.. file.Series["margin_percentiles"].Select(x => x / scale)];
        file.Series["spectral_per_layer"] = norms.SpectralPerLayer;
        file.Series["frobenius_per_layer"] = norms.FrobeniusPerLayer;
        foreach (var l in layers) l.Weight.Dispose();
    }

    /// <summary>
    /// The group operator-norms: each convolution's operator norm on its input size (<see cref="ConvolutionNorm"/>,
    /// Sedghi et al. 2019) and each linear layer's spectral norm, batch norm folded first; their product and sum.
    /// Its own group because the FFT and the per-frequency eigenvalue problems cost far more than the rest of the
    /// norms for a wide convolutional network (Inception: about 30 s of CPU against 8 s for the group norms).
    /// </summary>
    static void OperatorGroup(MeasureFile file, TrainConfig config, (int C, int H, int W) input, int classes, RunFolder run)
    {
        if (LayersHidden(config) is { } hidden)
        {
            file.Notes[MeasureGroups.OperatorNorms] = hidden;
            return;
        }
        using var scope = NewDisposeScope();
        using var folded = Load(config, input, classes, run.FinalWeights);
        BatchNormFolding.Fold(folded);
        var layers = LayerWeights.Of(folded);
        var sides = ConvolutionNorm.InputSides(folded, input);
        // a linear layer's operator norm is its spectral norm, which the group norms stored already (same layers, same order)
        var spectral = file.Series.TryGetValue("spectral_per_layer", out var stored) && stored.Length == layers.Count ? stored : null;
        var norms = layers.Select((l, i) => l.Convolution
            ? ConvolutionNorm.OperatorNorm(l.Weight.view(l.Shape), sides[l.Name].Height, sides[l.Name].Width)
            : spectral?[i] ?? NormMeasures.Spectral(l.Weight)).ToArray();
        file.Values["operator_product"] = Finite(norms.Aggregate(1.0, (p, x) => p * x));
        file.Values["operator_sum"] = Finite(norms.Sum());
        file.Series["operator_per_layer"] = norms;
    }

    /// <summary>The sentence of the measures that walk a model's layers, for a model whose layers Shatter cannot see; null for the zoo's.</summary>
    public static string? LayersHidden(TrainConfig config) => TorchScriptModel.IsTorchScript(config.Model)
        ? $"BN-folded norms, spectral complexity, path norm, distance from init and operator norms are not defined for a TorchScript model ({config.Model}): its scripted graph hides the layers they walk; margins, PAC-Bayes σ′, sharpness and the attacks are measured."
        : null;

    static double? Finite(double x) => double.IsFinite(x) ? x : null;

    static void FlatnessGroup(MeasureFile file, string group, nn.Module<Tensor, Tensor> model, nn.Module<Tensor, Tensor> initial, TrainingData data, FlatnessSettings f)
    {
        using var scope = NewDisposeScope();
        long n = data.TrainEvalX.shape[0];
        var x = data.TrainEvalX;
        var y = data.TrainY;
        if (f.Examples > 0 && f.Examples < n)
        {
            using var gen = new Generator((ulong)Seeds.Derive(f.Seed, "measures/subset"));
            var idx = randperm(n, generator: gen).narrow(0, 0, f.Examples);
            x = x.index_select(0, idx);
            y = y.index_select(0, idx);
        }
        long m = data.TrainEvalX.shape[0];
        var v = file.Values;
        if (group == MeasureGroups.Sharpness)
        {
            var (increase, baseLoss) = Flatness.Sharpness(model, x, y, f);
            v["sharpness"] = increase;
            v["sharpness_relative"] = increase / (1 + baseLoss); // Keskar et al.'s normalisation
            v["sharpness_base_loss"] = baseLoss;
            return;
        }
        bool magnitude = group == MeasureGroups.PacBayesMagnitude;
        string p = magnitude ? "pac_bayes_mag" : "pac_bayes";
        double sigma = Flatness.SigmaPrime(model, x, y, f, magnitude);
        double kl = 0, klOrigin = 0;
        using (var noGrad = no_grad())
        {
            foreach (var (w, w0) in model.parameters().Zip(initial.parameters()))
            {
                using var s = NewDisposeScope();
                var w64 = w.to_type(ScalarType.Float64);
                var d = w64.sub(w0.to_type(ScalarType.Float64));
                var d2 = d.mul(d);
                var o2 = w64.mul(w64);
                if (magnitude)
                {
                    using var sg = sigma.ToScalar();
                    using var eps = f.MagnitudeEpsilon.ToScalar();
                    using var one = 1.0.ToScalar();
                    var std = w64.abs().mul(sg).add(eps, one);
                    var var2 = std.mul(std);
                    kl += d2.div(var2).sum().item<double>() / 2;
                    klOrigin += o2.div(var2).sum().item<double>() / 2;
                }
                else
                {
                    kl += d2.sum().item<double>() / (2 * sigma * sigma);
                    klOrigin += o2.sum().item<double>() / (2 * sigma * sigma);
                }
            }
        }
        v[p + "_sigma"] = Finite(sigma); // null: unbounded (see Flatness.SigmaPrime)
        v[p + "_inverse_sigma_sq"] = sigma > 0 ? 1 / (sigma * sigma) : null;
        v[p + "_kl_init"] = Finite(kl);
        v[p + "_kl_origin"] = Finite(klOrigin);
        // McAllester/Maurer: L ≤ L̂ + √((KL + ln(2√m/δ)) / (2m)), the posterior N(w, σ′²) against the prior N(w₀, σ′²)
        v[p + "_bound_term"] = Finite(Math.Sqrt((kl + Math.Log(2 * Math.Sqrt(m) / f.Delta)) / (2.0 * m)));
    }
}
