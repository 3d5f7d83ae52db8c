namespace Shatter.Corruptions;

/// <summary>
/// The run's <c>--inputs</c> word for a text dataset: true, shuffled-tokens (<see cref="TextInputMode.Shuffled"/>) or
/// random-tokens (<see cref="TextInputMode.Random"/>). The pixel modes do not apply to token ids, nor the token modes to
/// images or tables; each refusal is one sentence.
/// </summary>
public static class TextInputs
{
    /// <summary>Is <paramref name="mode"/> one of the text-only modes?</summary>
    public static bool IsTokenMode(InputMode mode) => mode is InputMode.ShuffledTokens or InputMode.RandomTokens;

    /// <summary>The <see cref="TextInputMode"/> of a text run's --inputs; a pixel mode is refused.</summary>
    public static TextInputMode Of(InputMode mode, string dataset) => mode switch
    {
        InputMode.True => TextInputMode.True,
        InputMode.ShuffledTokens => TextInputMode.Shuffled,
        InputMode.RandomTokens => TextInputMode.Random,
        _ => throw new ShatterException($"--inputs {Word(mode)} randomizes pixels, and {dataset} holds texts; use --inputs shuffled-tokens or random-tokens (or true)."),
    };

    /// <summary>Refuses a text-only mode for a dataset of images or a table.</summary>
    public static void RefuseForImages(InputMode mode, string dataset)
    {
        if (IsTokenMode(mode))
            throw new ShatterException($"--inputs {Word(mode)} randomizes the tokens of texts, and {dataset} is not a text dataset; use --inputs true, shuffled, random or gaussian.");
    }

    /// <summary>The mode as the command line spells it (shuffled-tokens).</summary>
    public static string Word(InputMode mode) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(mode.ToString());
}
