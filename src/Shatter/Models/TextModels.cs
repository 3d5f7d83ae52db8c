using System.Globalization;
using System.Text.RegularExpressions;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Shatter.Models;

/// <summary>
/// The text models of the zoo, which read int64 (B, T) token ids (<see cref="TextInput"/>) instead of images:
/// <c>text-transformer-&lt;depth&gt;x&lt;width&gt;</c> (<see cref="TextTransformer"/>; width a multiple of 32) and
/// <c>text-lstm-&lt;layers&gt;x&lt;hidden&gt;</c> (<see cref="TextLstm"/>). <see cref="ModelRegistry"/> describes and
/// builds them by name (<see cref="ModelRegistry.CreateText"/>). Default learning rates follow their image cousins:
/// 0.01 for the transformer (as the ViT), 0.1 for the LSTM (as the row LSTM).
/// </summary>
public static partial class TextModels
{
    public const string Patterns = "text-transformer-<depth>x<width>, text-lstm-<layers>x<hidden>";

    /// <summary>Named text models, for listings and the zoo's tests.</summary>
    public static readonly IReadOnlyList<string> KnownNames = ["text-transformer-2x128", "text-lstm-1x256"];

    [GeneratedRegex(@"^text-(transformer|lstm)-([0-9]+)x([0-9]+)$")]
    private static partial Regex Pattern();

    /// <summary>Is <paramref name="name"/> a text model name (valid or not)?</summary>
    public static bool IsText(string name) => name.Trim().StartsWith("text-", StringComparison.OrdinalIgnoreCase);

    /// <summary>The spec of a text model name, with its depth and width; a malformed one is a <see cref="ShatterException"/>.</summary>
    public static (ModelSpec Spec, int Depth, int Width) Parse(string name)
    {
        var key = name.Trim().ToLowerInvariant();
        var m = Pattern().Match(key);
        if (!m.Success)
            throw new ShatterException($"unknown text model '{name}'; use {Patterns}, e.g. {string.Join(" or ", KnownNames)}.");
        string kind = m.Groups[1].Value;
        int depth = Number(m.Groups[2].Value, name), width = Number(m.Groups[3].Value, name);
        if (depth < 1 || depth > ModelRegistry.MaxSequenceDepth)
            throw new ShatterException($"'{name}': the number of blocks or layers must be from 1 to {ModelRegistry.MaxSequenceDepth}, not {depth}.");
        if (kind == "transformer")
        {
            if (width < VisionTransformer.HeadDim || width % VisionTransformer.HeadDim != 0 || width > 4096)
                throw new ShatterException($"'{name}': a text transformer's width must be a multiple of {VisionTransformer.HeadDim} (one head per {VisionTransformer.HeadDim} dimensions) up to 4096, e.g. text-transformer-2x128.");
            return (new ModelSpec(key, "text-transformer", 0.01,
                $"text transformer, token and position embeddings, {depth} pre-norm blocks of width {width}, {width / VisionTransformer.HeadDim} heads, mean over tokens"), depth, width);
        }
        if (width < 1 || width > ModelRegistry.MaxWidth)
            throw new ShatterException($"'{name}': hidden widths must be from 1 to {ModelRegistry.MaxWidth}, not {width}.");
        return (new ModelSpec(key, "text-lstm", 0.1, $"LSTM over token embeddings of {width}, {depth} layers of {width}, last token"), depth, width);
    }

    /// <summary>Builds a text model for <paramref name="input"/> that returns logits (B, classes).</summary>
    public static Module<Tensor, Tensor> Create(string name, TextInput input, int classes, ModelOptions options)
    {
        var (spec, depth, width) = Parse(name);
        if (input.Vocabulary < 2 || input.MaxTokens < 1)
            throw new ShatterException($"{spec.Name} needs a vocabulary of at least 2 ids and at least 1 token per text, not {input.Vocabulary} and {input.MaxTokens}; check the text dataset.");
        if (classes < 2)
            throw new ShatterException($"a classifier needs at least 2 classes, not {classes}; check the dataset.");
        if (!(options.Dropout >= 0 && options.Dropout < 1))
            throw new ShatterException($"dropout must be in [0, 1), not {options.Dropout}; use 0 to turn it off.");
        return spec.Family == "text-transformer"
            ? new TextTransformer(input.Vocabulary, input.MaxTokens, depth, width, classes, options.Dropout)
            : new TextLstm(input.Vocabulary, depth, width, classes, options.Dropout);
    }

    private static int Number(string digits, string name) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ShatterException($"'{name}' holds the number {digits}, which is too large; use a smaller size.");
}
