namespace Shatter.Models;

/// <summary>
/// What a text model reads: int64 (B, T) token ids below <see cref="Vocabulary"/> (0 = padding, after the text's
/// tokens), with T at most <see cref="MaxTokens"/>. Both come from the dataset (Data.TextDataset: its vocabulary's
/// size and --max-tokens).
/// </summary>
public sealed record TextInput(int Vocabulary, int MaxTokens);
