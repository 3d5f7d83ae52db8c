using System.Text.RegularExpressions;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Shatter.Models;

/// <summary>
/// The registry's autoencoders (issue 21's unsupervised experiment): maps from an image to an image of the same
/// shape, (B, C, H, W) -> (B, C, H, W), kept apart from <see cref="Create"/> (whose contract is logits (B, classes)).
/// Names (case-insensitive): <c>ae-mlp-&lt;depth&gt;x&lt;width&gt;</c> and <c>ae-mlp-&lt;w1&gt;-&lt;w2&gt;-...</c> (<see cref="AutoencoderMlp"/>),
/// <c>ae-conv-&lt;depth&gt;x&lt;channels&gt;[-k&lt;kernel&gt;]</c> (<see cref="AutoencoderConv"/>).
/// </summary>
public static partial class ModelRegistry
{
    public const string AutoencoderPatterns = "ae-mlp-<depth>x<width>, ae-mlp-<w1>-<w2>-..., ae-conv-<depth>x<channels>[-k<kernel>]";
    /// <summary>Most hidden convolutions in an ae-conv name (Zhang et al. 2020 go to 20 layers).</summary>
    public const int MaxConvDepth = 32;
    /// <summary>Most channels per hidden convolution accepted.</summary>
    public const int MaxConvChannels = 4096;
    /// <summary>Largest (odd) kernel side accepted.</summary>
    public const int MaxKernel = 15;

    /// <summary>
    /// Default learning rates for SGD with momentum 0.9 (the trainer's) on the mean squared error averaged over pixels:
    /// Shatter's choice, measured on 8 Gaussian 1×28×28 images (loss 1.02 → 0.003 in 100 steps for ae-mlp-3x512 at 0.05;
    /// 0.96 → 0.05 for ae-conv-2x16 at 0.005, which oscillates at 0.01 without momentum ×10). The mean over C·H·W
    /// pixels makes an MLP's gradients small, hence its larger rate. Neither anchor trains this way (docs/beyond-supervised.md).
    /// </summary>
    public const double AutoencoderMlpLearningRate = 0.05, AutoencoderConvLearningRate = 0.005;

    private static readonly string[] AutoencoderNames = ["ae-mlp-3x512", "ae-conv-4x64"];

    /// <summary>The named autoencoders, in listing order.</summary>
    public static IReadOnlyList<ModelSpec> KnownAutoencoders => AutoencoderNames.Select(DescribeAutoencoder).ToList();

    /// <summary>Whether a name is meant as an autoencoder (it starts with "ae-"), valid or not.</summary>
    public static bool IsAutoencoder(string name) => name.Trim().StartsWith("ae-", StringComparison.OrdinalIgnoreCase);

    /// <summary>The spec of an autoencoder name; anything else is a <see cref="ShatterException"/>.</summary>
    public static ModelSpec DescribeAutoencoder(string name) => ParseAutoencoder(name).Spec;

    /// <summary>
    /// Builds an autoencoder for float32 images (B, C, H, W) that returns (B, C, H, W). PyTorch's default
    /// initialisation: seed with <c>torch.manual_seed</c> first.
    /// </summary>
    public static Module<Tensor, Tensor> CreateAutoencoder(string name, (int Channels, int Height, int Width) input)
    {
        var parsed = ParseAutoencoder(name);
        var (c, h, w) = input;
        if (c < 1 || h < 1 || w < 1)
            throw new ShatterException($"input shape {c}×{h}×{w} has an empty side; give a positive channels×height×width.");
        return parsed.Spec.Family == "ae-mlp"
            ? new AutoencoderMlp(c, h, w, parsed.Widths)
            : new AutoencoderConv(c, parsed.Depth, parsed.Widths[0], parsed.Patch);
    }

    [GeneratedRegex(@"^ae-mlp-([0-9]+)x([0-9]+)$")]
    private static partial Regex AutoencoderMlpDepthWidth();

    [GeneratedRegex(@"^ae-mlp-([0-9]+(?:-[0-9]+)*)$")]
    private static partial Regex AutoencoderMlpWidths();

    [GeneratedRegex(@"^ae-conv-([0-9]+)x([0-9]+)(?:-k([0-9]+))?$")]
    private static partial Regex AutoencoderConvName();

    // Parsed.Patch carries the conv kernel side.
    private static Parsed ParseAutoencoder(string name)
    {
        var key = name.Trim().ToLowerInvariant();
        if (AutoencoderMlpDepthWidth().Match(key) is { Success: true } dw)
        {
            int depth = Number(dw.Groups[1].Value, name), width = Number(dw.Groups[2].Value, name);
            if (depth < 1 || depth > MaxMlpDepth)
                throw new ShatterException($"'{name}' asks for {dw.Groups[1].Value} hidden layers; ae-mlp-<depth>x<width> takes a depth from 1 to {MaxMlpDepth}, and ae-mlp-<w1>-<w2>-... lists widths.");
            CheckWidth(width, name);
            return AutoencoderMlpSpec(key, Enumerable.Repeat(width, depth).ToArray());
        }
        if (AutoencoderMlpWidths().Match(key) is { Success: true } ws)
        {
            var widths = ws.Groups[1].Value.Split('-').Select(s => Number(s, name)).ToArray();
            foreach (var width in widths) CheckWidth(width, name);
            return AutoencoderMlpSpec(key, widths);
        }
        if (AutoencoderConvName().Match(key) is { Success: true } conv)
        {
            int depth = Number(conv.Groups[1].Value, name), channels = Number(conv.Groups[2].Value, name);
            int kernel = conv.Groups[3].Success ? Number(conv.Groups[3].Value, name) : 3;
            if (depth < 1 || depth > MaxConvDepth)
                throw new ShatterException($"'{name}': an ae-conv's depth (hidden convolutions) must be from 1 to {MaxConvDepth}, e.g. ae-conv-4x64.");
            if (channels < 1 || channels > MaxConvChannels)
                throw new ShatterException($"'{name}': an ae-conv's channels must be from 1 to {MaxConvChannels}, e.g. ae-conv-4x64.");
            if (kernel < 1 || kernel > MaxKernel || kernel % 2 == 0)
                throw new ShatterException($"'{name}': the kernel side must be odd, from 1 to {MaxKernel} (same padding keeps the image's size), e.g. ae-conv-4x64-k5.");
            var spec = new ModelSpec(key, "ae-conv", AutoencoderConvLearningRate,
                $"conv autoencoder, {depth} stride-1 {kernel}x{kernel} convs of {channels} channels, linear output");
            return new(spec, [channels], depth, Patch: kernel);
        }
        throw new ShatterException($"unknown autoencoder '{name}'; use one of {string.Join(", ", AutoencoderNames)} or a pattern {AutoencoderPatterns}.");
    }

    private static Parsed AutoencoderMlpSpec(string key, int[] widths) =>
        new(new ModelSpec(key, "ae-mlp", AutoencoderMlpLearningRate, $"MLP autoencoder, hidden {string.Join(", ", widths)}, linear output"), widths);
}
