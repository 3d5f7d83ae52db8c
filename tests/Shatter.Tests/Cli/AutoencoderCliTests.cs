using Shatter.Tests.Data;

namespace Shatter.Tests.Cli;

/// <summary><c>shatter train</c> with an autoencoder: a label option is one sentence and exit code 2, and no run folder is made.</summary>
public sealed class AutoencoderCliTests
{
    [Fact]
    public void Training_an_autoencoder_with_random_labels_is_refused_in_one_sentence_before_its_folder_exists()
    {
        using var folder = new TempFolder();
        var r = CliRunner.Run("train", "--model", "ae-mlp-1x64", "--label-noise", "1", "--out", folder["run"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("error: --label-noise acts on class labels, which an autoencoder (ae-mlp-1x64) never reads; drop it (randomize its images with --inputs, and set its fit with --reconstruction-target).",
            r.Error.TrimEnd('\n', '\r'));
        Assert.False(Directory.Exists(folder["run"]));
    }
}
