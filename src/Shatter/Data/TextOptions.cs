namespace Shatter.Data;

/// <summary>
/// How texts become a <see cref="TextDataset"/>. <see cref="MaxTokens"/>: the GPT-2 tokens kept per text
/// (--max-tokens; longer texts are truncated, shorter ones padded). <see cref="CompactVocabulary"/>: ids of the
/// training tokens only (<see cref="TextVocabulary"/>). <see cref="TestFraction"/> and <see cref="SplitSeed"/>: the
/// seeded, class-stratified test split of a source without its own test set. <see cref="TextColumn"/> and
/// <see cref="LabelColumn"/>: the columns of a <c>csv:PATH</c> text table (--text, --label).
/// </summary>
public sealed record TextOptions(
    int MaxTokens = TextOptions.DefaultMaxTokens,
    bool CompactVocabulary = true,
    double TestFraction = SeededSplit.DefaultTestFraction,
    long SplitSeed = 0,
    string? TextColumn = null,
    string? LabelColumn = null)
{
    public const int DefaultMaxTokens = 64;
    /// <summary>Longest --max-tokens accepted.</summary>
    public const int MaxMaxTokens = 4096;
}
