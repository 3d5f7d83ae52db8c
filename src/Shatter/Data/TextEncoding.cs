using static TorchSharp.torch;

namespace Shatter.Data;

/// <summary>
/// Texts to a <see cref="TextDataset"/>: each text is tokenized by GPT-2 (<see cref="Gpt2Tokens"/>), its first
/// --max-tokens tokens kept, mapped to the vocabulary's ids (<see cref="TextVocabulary"/>, built from the training
/// texts) and right-padded with 0 to (N, T).
/// </summary>
public static class TextEncoding
{
    public static TextDataset Build(string name, string source, IReadOnlyList<string> classNames, LabelledTexts train, LabelledTexts test, TextOptions options)
    {
        if (options.MaxTokens < 1 || options.MaxTokens > TextOptions.MaxMaxTokens)
            throw new ShatterException($"--max-tokens must be from 1 to {TextOptions.MaxMaxTokens}, not {options.MaxTokens}; {TextOptions.DefaultMaxTokens} keeps the first {TextOptions.DefaultMaxTokens} GPT-2 tokens of each text.");
        if (classNames.Count < 2)
            throw new ShatterException($"{source} has {classNames.Count} class; a classification set needs at least two labels.");
        if (train.Count == 0 || test.Count == 0)
            throw new ShatterException($"{source} gives {train.Count} training and {test.Count} test texts; give at least one of each.");
        var trainIds = Tokenize(train.Texts, options.MaxTokens);
        var testIds = Tokenize(test.Texts, options.MaxTokens);
        var vocabulary = options.CompactVocabulary ? TextVocabulary.CompactOf(trainIds.SelectMany(t => t)) : TextVocabulary.Full();
        var trainSplit = Pack(trainIds, train.Labels, vocabulary, options.MaxTokens);
        try
        {
            return new TextDataset(name, trainSplit, Pack(testIds, test.Labels, vocabulary, options.MaxTokens), classNames, vocabulary) { Source = source };
        }
        catch
        {
            trainSplit.Dispose();
            throw;
        }
    }

    static int[][] Tokenize(IReadOnlyList<string> texts, int maxTokens)
    {
        var ids = new int[texts.Count][];
        Parallel.For(0, texts.Count, i => ids[i] = [.. Gpt2Tokens.Encode(texts[i], maxTokens)]);
        return ids;
    }

    /// <summary>(N, T) model ids padded with 0, the lengths and the labels.</summary>
    static TextSplit Pack(int[][] ids, IReadOnlyList<int> labels, TextVocabulary vocabulary, int maxTokens)
    {
        var tokens = new long[ids.Length * maxTokens];
        var lengths = new long[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            lengths[i] = ids[i].Length;
            for (int k = 0; k < ids[i].Length; k++) tokens[i * maxTokens + k] = vocabulary.ToModel(ids[i][k]);
        }
        return new TextSplit(tensor(tokens, [ids.Length, maxTokens]), tensor(lengths), tensor(labels.Select(l => (long)l).ToArray()));
    }
}
