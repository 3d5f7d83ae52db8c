using System.Globalization;
using System.Text.RegularExpressions;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Shatter.Models;

/// <summary>
/// The one map from a model name to its factory; the CLI, the trainer, sweeps and tests all go through it.
/// Names (case-insensitive):
/// - <c>mlp-&lt;depth&gt;x&lt;width&gt;</c>: depth hidden layers of one width, depth 1 to 16 (paper: mlp-1x512, mlp-3x512);
/// - <c>mlp-&lt;w1&gt;-&lt;w2&gt;-...</c>: one hidden layer per width, in order (mlp-2048, mlp-1024-512);
/// - <c>alexnet</c>, <c>inception</c>, <c>inception-nobn</c>: the paper's small AlexNet and Inception;
/// - <c>wrn-&lt;depth&gt;-&lt;k&gt;</c>: wide ResNet, depth = 6n + 4, widen factor k (wrn-28-1: the demo's);
/// - beyond the paper: <c>vit-&lt;depth&gt;x&lt;width&gt;[-p&lt;patch&gt;]</c>, a small Vision Transformer (width a multiple of
///   32, patch 4 unless given; vit-6x128: 1.2M parameters), and <c>lstm-&lt;layers&gt;x&lt;hidden&gt;</c>,
///   <c>gru-&lt;layers&gt;x&lt;hidden&gt;</c>, recurrent classifiers that read the image row by row;
/// - text models over token ids (<see cref="TextModels"/>, built by <see cref="CreateText"/>): <c>text-transformer-&lt;depth&gt;x&lt;width&gt;</c>,
///   <c>text-lstm-&lt;layers&gt;x&lt;hidden&gt;</c>;
/// - <c>torchscript:PATH</c>: the user's own PyTorch model, scripted or traced (<see cref="TorchScriptModel"/>), for images
///   (<see cref="Create"/>) or token ids (<see cref="CreateText"/>); its default learning rate is 0.01 (give --lr).
/// Learning rates follow the paper: 0.1 for Inception, 0.01 for AlexNet and the MLPs — except Inception without
/// batch norm, 0.01 (a departure: it diverges at 0.1 once initialized so that it learns at all; see InceptionSmall);
/// wide ResNets get 0.1, the fitting-random-labels demo's (and Zagoruyko and Komodakis's) rate for them. The ViT gets
/// 0.01 and the recurrent models 0.1 (Shatter's choices for plain SGD with momentum 0.9; the paper has no such models).
/// </summary>
public static partial class ModelRegistry
{
    /// <summary>Most hidden layers in the <c>mlp-&lt;depth&gt;x&lt;width&gt;</c> form; more likely means widths.</summary>
    public const int MaxMlpDepth = 16;
    /// <summary>Widest MLP hidden layer accepted (a guard against typos that would exhaust memory).</summary>
    public const int MaxWidth = 65_536;
    /// <summary>Largest wide-ResNet widen factor accepted (wrn-28-32 already has hundreds of millions of parameters).</summary>
    public const int MaxWiden = 32;

    /// <summary>Default learning rate of inception-nobn (the paper's Inception rate, 0.1, diverges without batch norm).</summary>
    public const double NoBatchNormLearningRate = 0.01;

    public const string Patterns = "mlp-<depth>x<width>, mlp-<w1>-<w2>-..., wrn-<depth>-<k>, vit-<depth>x<width>[-p<patch>], lstm-<layers>x<hidden>, gru-<layers>x<hidden>";
    /// <summary>Most transformer blocks or recurrent layers accepted.</summary>
    public const int MaxSequenceDepth = 24;

    // Declared before Known: static fields initialise in text order.
    private static readonly string[] KnownNames = ["mlp-1x512", "mlp-3x512", "alexnet", "inception", "inception-nobn", "wrn-28-1", "wrn-16-4", "vit-6x128", "lstm-2x256", "gru-2x256"];

    /// <summary>The named models, in listing order: the paper's five, two wide ResNets, then a ViT, an LSTM and a GRU.</summary>
    public static IReadOnlyList<ModelSpec> Known { get; } = KnownNames.Select(Describe).ToList();

    /// <summary>The spec of a named model or pattern; an unknown name is a <see cref="ShatterException"/>.</summary>
    public static ModelSpec Describe(string name) => Parse(name).Spec;

    /// <summary>
    /// Builds a model for float32 input (B, C, H, W) that returns logits (B, classes). Weights use
    /// TorchSharp's (PyTorch's) default initialisation, so seed with <c>torch.manual_seed</c> first.
    /// </summary>
    public static Module<Tensor, Tensor> Create(string name, (int Channels, int Height, int Width) input, int classes, ModelOptions options)
    {
        var parsed = Parse(name);
        if (input.Channels >= 1 && input.Height >= 1 && input.Width >= 1 && classes < 2 && !(options.Regression && classes == 1))
            throw new ShatterException($"a classifier needs at least 2 classes, not {classes}; check the dataset.");
        return Build(parsed, input, classes, options);
    }

    /// <summary>
    /// The same network with a one-output head f(x) ∈ ℝ (B, 1), for ±1 labels (Rademacher complexity, shattering).
    /// </summary>
    public static Module<Tensor, Tensor> CreateScorer(string name, (int Channels, int Height, int Width) input, ModelOptions options)
    {
        var parsed = Parse(name);
        if (parsed.Spec.Family is "torchscript" or "text-transformer" or "text-lstm")
            throw new ShatterException($"{parsed.Spec.Name} cannot be given a one-output head (Rademacher complexity and shattering build their own); use a zoo image model.");
        return Build(parsed, input, 1, options);
    }

    /// <summary>
    /// Builds a model for int64 (B, T) token ids that returns logits (B, classes): a text model (<see cref="TextModels"/>)
    /// or a <c>torchscript:PATH</c> model, checked on the input's shape. Seed with <c>torch.manual_seed</c> first.
    /// </summary>
    public static Module<Tensor, Tensor> CreateText(string name, TextInput input, int classes, ModelOptions options)
    {
        if (TorchScriptModel.IsTorchScript(name)) return LoadTorchScript(name, [input.MaxTokens], ScalarType.Int64, classes, options);
        if (!TextModels.IsText(name))
            throw new ShatterException($"{Parse(name).Spec.Name} reads images, not token ids; use a text model ({TextModels.Patterns}) or torchscript:PATH with a text dataset.");
        return TextModels.Create(name, input, classes, options);
    }

    /// <summary>Is <paramref name="name"/> a model that reads token ids (a zoo text model; a TorchScript model can be either)?</summary>
    public static bool IsTextModel(string name) => TextModels.IsText(name);

    private static Module<Tensor, Tensor> LoadTorchScript(string name, long[] example, ScalarType dtype, int classes, ModelOptions options)
    {
        if (options.Dropout != 0)
            throw new ShatterException($"a TorchScript model's dropout is part of its code; drop --dropout for {name}.");
        var model = TorchScriptModel.Load(TorchScriptModel.PathOf(name));
        try
        {
            model.CheckSha256(options.TorchScriptSha256);
            model.CheckShapes(example, dtype, classes);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static Module<Tensor, Tensor> Build(Parsed parsed, (int Channels, int Height, int Width) input, int classes, ModelOptions options)
    {
        var (c, h, w) = input;
        if (parsed.Spec.Family is "text-transformer" or "text-lstm")
            throw new ShatterException($"{parsed.Spec.Name} reads token ids, not images; use it with a text dataset (fortunes, csv:PATH --text COLUMN, folder:PATH of .txt files).");
        if (c < 1 || h < 1 || w < 1)
            throw new ShatterException($"input shape {c}×{h}×{w} has an empty side; give a positive channels×height×width.");
        if (!(options.Dropout >= 0 && options.Dropout < 1))
            throw new ShatterException($"dropout must be in [0, 1), not {options.Dropout}; use 0 to turn it off.");
        if (parsed.Spec.Family == "inception" && Math.Min(h, w) < InceptionSmall.MinimumSide)
            throw new ShatterException($"{parsed.Spec.Name} needs images of at least {InceptionSmall.MinimumSide}×{InceptionSmall.MinimumSide}, not {h}×{w}; use a larger crop or none.");
        if (parsed.Spec.Family == "vit" && Math.Min(h, w) < parsed.Patch)
            throw new ShatterException($"{parsed.Spec.Name} cuts {parsed.Patch}×{parsed.Patch} patches, larger than the {h}×{w} images; use a smaller patch (-p2) or a larger crop.");
        if (parsed.Spec.Family == "torchscript") return LoadTorchScript(parsed.Spec.Name, [c, h, w], ScalarType.Float32, classes, options);
        return parsed.Spec.Family switch
        {
            "mlp" => new Mlp((long)c * h * w, parsed.Widths, classes, options.Dropout),
            "alexnet" => new AlexNetSmall(c, h, w, classes, options.Dropout),
            "inception" => new InceptionSmall(c, classes, batchNorm: parsed.Spec.Name == "inception", options.Dropout),
            "vit" => new VisionTransformer(c, h, w, parsed.Patch, parsed.Depth, parsed.Widths[0], classes, options.Dropout),
            "lstm" => new RowLstm(c, w, parsed.Depth, parsed.Widths[0], classes, options.Dropout),
            "gru" => new RowGru(c, w, parsed.Depth, parsed.Widths[0], classes, options.Dropout),
            _ => new WideResNet(c, parsed.Depth, parsed.Widen, classes, options.Dropout),
        };
    }

    /// <summary>Number of learned parameters (buffers such as batch-norm running statistics excluded).</summary>
    public static long ParameterCount(Module<Tensor, Tensor> model) => model.parameters().Sum(p => p.numel());

    private sealed record Parsed(ModelSpec Spec, IReadOnlyList<int> Widths, int Depth = 0, int Widen = 0, int Patch = 0);

    [GeneratedRegex(@"^mlp-([0-9]+)x([0-9]+)$")]
    private static partial Regex MlpDepthWidth();

    [GeneratedRegex(@"^mlp-([0-9]+(?:-[0-9]+)*)$")]
    private static partial Regex MlpWidths();

    [GeneratedRegex(@"^wrn-([0-9]+)-([0-9]+)$")]
    private static partial Regex Wrn();

    [GeneratedRegex(@"^vit-([0-9]+)x([0-9]+)(?:-p([0-9]+))?$")]
    private static partial Regex Vit();

    [GeneratedRegex(@"^(lstm|gru)-([0-9]+)x([0-9]+)$")]
    private static partial Regex Recurrent();

    private static Parsed Parse(string name)
    {
        if (TorchScriptModel.IsTorchScript(name))
            return new(new ModelSpec(name, "torchscript", 0.01, $"TorchScript model {TorchScriptModel.PathOf(name)}"), []);
        if (TextModels.IsText(name)) return new(TextModels.Parse(name).Spec, []);
        var key = name.Trim().ToLowerInvariant();
        switch (key)
        {
            case "alexnet":
                return new(new ModelSpec(key, "alexnet", 0.01,
                    "small AlexNet: 2 x (conv 5x5, pool, LRN), FC 384, 192"), []);
            case "inception":
                return new(new ModelSpec(key, "inception", 0.1,
                    "small Inception (paper Fig. 3), batch norm"), []);
            case "inception-nobn":
                // He init and lr 0.01: with PyTorch's default init this net never leaves chance, and with He
                // init it diverges at 0.1, and falls back to chance at 0.02, in its first epochs (experiments/README.md)
                return new(new ModelSpec(key, "inception", NoBatchNormLearningRate,
                    "small Inception, no batch norm (He init, lr 0.01)"), []);
        }
        if (MlpDepthWidth().Match(key) is { Success: true } dw)
        {
            int depth = Number(dw.Groups[1].Value, name), width = Number(dw.Groups[2].Value, name);
            if (depth < 1 || depth > MaxMlpDepth)
                throw new ShatterException($"'{name}' asks for {dw.Groups[1].Value} hidden layers; mlp-<depth>x<width> takes a depth from 1 to {MaxMlpDepth}, and mlp-<w1>-<w2>-... lists widths (e.g. mlp-{dw.Groups[1].Value}-{dw.Groups[2].Value}).");
            CheckWidth(width, name);
            return Mlp(key, Enumerable.Repeat(width, depth).ToArray());
        }
        if (MlpWidths().Match(key) is { Success: true } ws)
        {
            var widths = ws.Groups[1].Value.Split('-').Select(s => Number(s, name)).ToArray();
            foreach (var width in widths) CheckWidth(width, name);
            return Mlp(key, widths);
        }
        if (Wrn().Match(key) is { Success: true } wrn)
        {
            int depth = Number(wrn.Groups[1].Value, name), widen = Number(wrn.Groups[2].Value, name);
            if (depth < 10 || (depth - 4) % 6 != 0)
                throw new ShatterException($"'{name}': a wide ResNet's depth must be 6n + 4 with n ≥ 1 (10, 16, 22, 28, 40, ...), e.g. wrn-28-1.");
            if (widen < 1 || widen > MaxWiden)
                throw new ShatterException($"'{name}': the widen factor k must be from 1 to {MaxWiden}, e.g. wrn-28-1 or wrn-16-4.");
            var spec = new ModelSpec(key, "wrn", 0.1,
                $"wide ResNet, widths 16/{16 * widen}/{32 * widen}/{64 * widen}, {(depth - 4) / 6} blocks/group");
            return new(spec, [], depth, widen);
        }
        if (Vit().Match(key) is { Success: true } vit)
        {
            int depth = Number(vit.Groups[1].Value, name), width = Number(vit.Groups[2].Value, name);
            int patch = vit.Groups[3].Success ? Number(vit.Groups[3].Value, name) : 4;
            CheckDepth(depth, name);
            if (width < VisionTransformer.HeadDim || width % VisionTransformer.HeadDim != 0 || width > 4096)
                throw new ShatterException($"'{name}': a ViT's width must be a multiple of {VisionTransformer.HeadDim} (one head per {VisionTransformer.HeadDim} dimensions) up to 4096, e.g. vit-6x128.");
            if (patch < 1 || patch > 32)
                throw new ShatterException($"'{name}': the patch side must be from 1 to 32, e.g. vit-6x128-p4.");
            var spec = new ModelSpec(key, "vit", 0.01,
                $"ViT, {depth} pre-norm blocks of width {width}, {width / VisionTransformer.HeadDim} heads, patch {patch}, class token");
            return new(spec, [width], depth, Patch: patch);
        }
        if (Recurrent().Match(key) is { Success: true } rnn)
        {
            string kind = rnn.Groups[1].Value;
            int layers = Number(rnn.Groups[2].Value, name), hidden = Number(rnn.Groups[3].Value, name);
            CheckDepth(layers, name);
            CheckWidth(hidden, name);
            var spec = new ModelSpec(key, kind, 0.1, $"{kind.ToUpperInvariant()}, {layers} layers of {hidden}, reads the image row by row");
            return new(spec, [hidden], layers);
        }
        throw new ShatterException($"unknown model '{name}'; use one of {string.Join(", ", KnownNames)}, a pattern {Patterns}, a text model {TextModels.Patterns}, or torchscript:PATH.");
    }

    private static Parsed Mlp(string key, int[] widths) =>
        new(new ModelSpec(key, "mlp", 0.01, $"MLP, hidden {string.Join(", ", widths)}"), widths);

    private static int Number(string digits, string name) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ShatterException($"'{name}' holds the number {digits}, which is too large; use a smaller size.");

    private static void CheckDepth(int depth, string name)
    {
        if (depth < 1 || depth > MaxSequenceDepth)
            throw new ShatterException($"'{name}': the number of blocks or layers must be from 1 to {MaxSequenceDepth}, not {depth}.");
    }

    private static void CheckWidth(int width, string name)
    {
        if (width < 1 || width > MaxWidth)
            throw new ShatterException($"'{name}': hidden widths must be from 1 to {MaxWidth}, not {width}.");
    }
}
