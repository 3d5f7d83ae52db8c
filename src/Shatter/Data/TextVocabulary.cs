namespace Shatter.Data;

/// <summary>
/// The ids a text model embeds, and how they map to the tokenizer's (GPT-2's 50,257).
/// <list type="bullet">
/// <item>Compact (default): 0 is padding, 1 stands for every token absent from the training set (it can occur only in
/// the test set), and 2, 3, … are the GPT-2 ids that occur in the training texts (after truncation), in ascending
/// order. The embedding then has one row per token the model can learn: on the fortunes corpus at 64 tokens about
/// 20,000 instead of 50,257.</item>
/// <item>Full: 0 is padding and GPT-2 id g is g + 1 (size 50,258), nothing is unknown.</item>
/// </list>
/// </summary>
public sealed class TextVocabulary
{
    public const long PadId = 0;
    public const long UnknownId = 1;

    readonly int[] tokenizerIds;                       // compact: model id - 2 -> GPT-2 id, ascending
    readonly Dictionary<int, long> modelIds;

    TextVocabulary(bool compact, int[] tokenizerIds)
    {
        Compact = compact;
        this.tokenizerIds = tokenizerIds;
        modelIds = compact ? tokenizerIds.Select((g, i) => (g, i)).ToDictionary(p => p.g, p => (long)p.i + 2) : [];
    }

    /// <summary>The compact vocabulary of the training texts' token ids.</summary>
    public static TextVocabulary CompactOf(IEnumerable<int> trainingTokenIds) =>
        new(true, trainingTokenIds.Distinct().Order().ToArray());

    /// <summary>The whole GPT-2 vocabulary, shifted by one for the padding id.</summary>
    public static TextVocabulary Full() => new(false, []);

    public bool Compact { get; }

    /// <summary>Rows of the model's embedding: ids 0..Size−1.</summary>
    public int Size => Compact ? tokenizerIds.Length + 2 : Gpt2Tokens.VocabularySize + 1;

    /// <summary>The model id of a GPT-2 id (<see cref="UnknownId"/> when the compact vocabulary lacks it).</summary>
    public long ToModel(int gpt2Id) => !Compact ? gpt2Id + 1L : modelIds.TryGetValue(gpt2Id, out var m) ? m : UnknownId;

    /// <summary>The GPT-2 id of a model id, or null for padding and unknown.</summary>
    public int? ToTokenizer(long modelId) =>
        modelId == PadId || (Compact && modelId == UnknownId) || modelId < 0 || modelId >= Size ? null
        : Compact ? tokenizerIds[modelId - 2] : (int)(modelId - 1);
}
