namespace Shatter.Corruptions;

/// <summary>The paper's input randomizations (§2).</summary>
public enum InputMode
{
    /// <summary>The original images.</summary>
    True,
    /// <summary>One random permutation of the pixels, the same for every train and test image.</summary>
    Shuffled,
    /// <summary>A different random permutation for each image.</summary>
    Random,
    /// <summary>Every image replaced by Gaussian noise with the dataset's mean and variance.</summary>
    Gaussian,
    /// <summary>Text only: each text's tokens in an order of its own (<see cref="TextInputMode.Shuffled"/>).</summary>
    ShuffledTokens,
    /// <summary>Text only: every token an independent draw from the training unigram (<see cref="TextInputMode.Random"/>).</summary>
    RandomTokens,
}

/// <summary>(choice) What a permutation moves in a colour image.</summary>
public enum PermutationUnit
{
    /// <summary>Whole pixels: all channels at a location move together (default).</summary>
    Pixel,
    /// <summary>Single values: every channel of every location is permuted independently.</summary>
    Value,
}

/// <summary>(choice) Which statistics the Gaussian matches.</summary>
public enum GaussianStatistics
{
    /// <summary>One mean and variance over all training pixel values (default).</summary>
    Global,
    /// <summary>A mean and variance per channel.</summary>
    PerChannel,
}

/// <summary>
/// An input randomization and the paper's open choices (paper.md §1). Defaults: whole pixels move,
/// the Gaussian matches the global statistics of the training images, and the test set receives the
/// same kind of input (shuffled: the same permutation, as the paper states; random and gaussian: its
/// own draws) so test error measures what the network learned about that input distribution.
/// </summary>
public sealed record InputCorruption(
    InputMode Mode,
    PermutationUnit Unit = PermutationUnit.Pixel,
    GaussianStatistics Statistics = GaussianStatistics.Global,
    bool ApplyToTest = true)
{
    public static readonly InputCorruption None = new(InputMode.True);
}
