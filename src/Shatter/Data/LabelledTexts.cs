namespace Shatter.Data;

/// <summary>Texts and their labels (indices into a class list), as read from a source, before tokenization.</summary>
public sealed record LabelledTexts(IReadOnlyList<string> Texts, IReadOnlyList<int> Labels)
{
    public int Count => Texts.Count;

    /// <summary>The texts at <paramref name="indices"/>, in that order.</summary>
    public LabelledTexts Take(IReadOnlyList<int> indices) =>
        new(indices.Select(i => Texts[i]).ToList(), indices.Select(i => Labels[i]).ToList());

    /// <summary>Training and test texts by <see cref="SeededSplit.Stratified"/>.</summary>
    public (LabelledTexts Train, LabelledTexts Test) Split(int classes, double testFraction, long seed)
    {
        var (train, test) = SeededSplit.Stratified(Labels, classes, testFraction, seed);
        return (Take(train), Take(test));
    }
}
