using Shatter.Corruptions;
using Shatter.Experiments;

namespace Shatter.Tests.Experiments;

/// <summary>experiments/text.yaml: the randomization tests on fortunes at its three scales.</summary>
public sealed class TextSpecTests
{
    [Fact]
    public void The_text_spec_runs_seven_randomizations_on_fortunes_with_the_lstm_only_at_paper_scale()
    {
        var spec = BuiltInSpecs.Resolve("text");
        Assert.Contains("text", BuiltInSpecs.Names);
        Assert.Equal(["dry-run", "quick", "paper"], spec.Scales.Keys);
        var quick = spec.Expand("quick");
        Assert.Equal(7, quick.Count);
        Assert.All(quick, r => Assert.Equal(("fortunes", "text-transformer-1x64", 16, 256), (r.Config.Dataset, r.Config.Model, r.Config.MaxTokens, r.Config.TrainSize)));
        Assert.All(quick, r => Assert.True(r.Config.UntilFit));
        Assert.Equal(["true labels", "label noise 0.2", "label noise 0.5", "label noise 0.8", "random labels", "shuffled tokens", "random tokens"], quick.Select(r => r.Point["randomization"]));
        Assert.Equal([0, 0.2, 0.5, 0.8, 1, 0, 0], quick.Select(r => r.Config.LabelNoise));
        Assert.Equal(InputMode.ShuffledTokens, quick[5].Config.Inputs);
        Assert.Equal(InputMode.RandomTokens, quick[6].Config.Inputs);
        var paper = spec.Expand("paper");
        Assert.Equal(14, paper.Count);
        Assert.Equal(["text-transformer-2x128", "text-lstm-1x256"], paper.Select(r => r.Config.Model).Distinct());
        Assert.All(paper, r => Assert.Equal((64, 0), (r.Config.MaxTokens, r.Config.TrainSize)));
        Assert.All(spec.Expand("dry-run"), r => Assert.Equal(2, r.Config.Epochs));
        Assert.Equal(paper.Count, paper.Select(r => r.Hash).Distinct().Count());
    }
}
