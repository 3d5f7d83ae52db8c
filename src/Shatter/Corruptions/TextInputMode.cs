namespace Shatter.Corruptions;

/// <summary>
/// The input randomizations of a text dataset (<see cref="TokenNoise"/>), the analogues of the paper's (§2). Padding
/// stays padding and every text keeps its length; only the non-padding tokens change.
/// </summary>
public enum TextInputMode
{
    /// <summary>The original token ids.</summary>
    True,
    /// <summary>
    /// Shuffled tokens: each text's tokens in an order of its own (a seeded permutation per text), the analogue of the
    /// paper's random pixels ("a different random permutation is applied to each image"): word order is gone, the
    /// bag of tokens stays.
    /// </summary>
    Shuffled,
    /// <summary>
    /// One permutation π of the T positions for every text, train and test, the analogue of the paper's shuffled pixels:
    /// a text of length L lists its tokens at the positions of π that are below L, in π's order (L = T: exactly π).
    /// </summary>
    ShuffledFixed,
    /// <summary>
    /// Random tokens: every token replaced by an independent draw from the training set's unigram distribution (the
    /// frequency of each id among the training tokens), the analogue of the paper's Gaussian images: inputs that keep
    /// the data's first-order statistics and nothing else.
    /// </summary>
    Random,
}
