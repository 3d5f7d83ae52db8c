namespace Shatter.Data;

/// <summary>
/// A named text classification dataset in memory: train and test splits of padded token ids
/// (<see cref="TextSplit"/>), the class names (index = label) and the vocabulary the ids come from.
/// </summary>
public sealed class TextDataset(string name, TextSplit train, TextSplit test, IReadOnlyList<string> classNames, TextVocabulary vocabulary) : IDisposable
{
    public string Name { get; } = name;
    public TextSplit Train { get; } = train;
    public TextSplit Test { get; } = test;
    public IReadOnlyList<string> ClassNames { get; } = classNames;
    public int Classes => ClassNames.Count;
    public TextVocabulary Vocabulary { get; } = vocabulary;
    /// <summary>T, the padded length (--max-tokens).</summary>
    public int MaxTokens => Train.MaxTokens;
    /// <summary>Where the texts were read from, for the user to see.</summary>
    public string Source { get; init; } = "";

    /// <summary>A dataset with other splits and the same name, classes and vocabulary; the caller hands over ownership.</summary>
    public TextDataset With(TextSplit train, TextSplit test) => new(Name, train, test, ClassNames, Vocabulary) { Source = Source };

    /// <summary>The text of example <paramref name="index"/> of <paramref name="split"/>, decoded from its ids (unknown tokens dropped).</summary>
    public string Decode(TextSplit split, int index)
    {
        using var row = split.Tokens[index];
        var ids = row.data<long>().ToArray().Take((int)split.Lengths[index].item<long>());
        return Gpt2Tokens.Decode(ids.Select(Vocabulary.ToTokenizer).Where(g => g is not null).Select(g => g!.Value));
    }

    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
