using Shatter.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Data;

/// <summary>
/// One split of a text dataset, held in memory: token ids int64 (N, T), right-padded with
/// <see cref="TextVocabulary.PadId"/> (0) after each text's tokens; lengths int64 (N), each from 1 to T (the
/// non-padding tokens); labels int64 (N). Owns its tensors.
/// </summary>
public sealed class TextSplit : IDisposable
{
    public TextSplit(Tensor tokens, Tensor lengths, Tensor labels)
    {
        if (tokens.dtype != ScalarType.Int64 || tokens.dim() != 2)
            throw new ArgumentException($"tokens must be int64 (N, T), got {tokens.dtype} {string.Join('x', tokens.shape)}");
        if (lengths.dtype != ScalarType.Int64 || lengths.dim() != 1 || lengths.shape[0] != tokens.shape[0])
            throw new ArgumentException("lengths must be int64 (N) with one length per text");
        if (labels.dtype != ScalarType.Int64 || labels.dim() != 1 || labels.shape[0] != tokens.shape[0])
            throw new ArgumentException("labels must be int64 (N) with one label per text");
        Tokens = tokens;
        Lengths = lengths;
        Labels = labels;
    }

    /// <summary>int64 (N, T).</summary>
    public Tensor Tokens { get; }
    /// <summary>int64 (N): non-padding tokens per text.</summary>
    public Tensor Lengths { get; }
    /// <summary>int64 (N).</summary>
    public Tensor Labels { get; }
    public int Count => (int)Tokens.shape[0];
    /// <summary>T, the padded length.</summary>
    public int MaxTokens => (int)Tokens.shape[1];

    /// <summary>bool (N, T): true at the non-padding positions (position &lt; length).</summary>
    public Tensor Mask()
    {
        using var positions = HeldScalars.Arange(Tokens.shape[1], Tokens.device);
        using var row = positions.unsqueeze(0);
        using var lengths = Lengths.unsqueeze(1);
        return row.lt(lengths);
    }

    /// <summary>The examples at <paramref name="indices"/> (int64), as a new split.</summary>
    public TextSplit Select(Tensor indices) =>
        new(Tokens.index_select(0, indices), Lengths.index_select(0, indices), Labels.index_select(0, indices));

    /// <summary>The same texts with other labels (int64 N); the caller hands over <paramref name="labels"/>.</summary>
    public TextSplit WithLabels(Tensor labels) => new(Tokens.alias(), Lengths.alias(), labels);

    /// <summary>Examples per class, for classes 0..classes-1.</summary>
    public long[] ClassCounts(int classes) => Labels.bincount(null, classes).data<long>().ToArray();

    public void Dispose()
    {
        Tokens.Dispose();
        Lengths.Dispose();
        Labels.Dispose();
    }
}
