using Shatter.Corruptions;
using Shatter.Experiments;
using Shatter.Models;

namespace Shatter.Tests.Experiments;

/// <summary>The built-in spec of issue 21's unsupervised experiment: autoencoders on the four input randomizations and growing training sets.</summary>
public sealed class UnsupervisedSpecTests
{
    [Fact]
    public void The_unsupervised_spec_expands_to_autoencoders_on_every_randomization_and_training_set_size_at_each_scale()
    {
        var spec = BuiltInSpecs.Resolve("unsupervised");
        Assert.Contains("unsupervised", BuiltInSpecs.Names);
        Assert.Equal(["dry-run", "quick", "paper"], spec.Scales.Keys);
        var counts = spec.Scales.Keys.ToDictionary(s => s, s => spec.Expand(s));
        Assert.Equal((8, 12, 32), (counts["dry-run"].Count, counts["quick"].Count, counts["paper"].Count));
        foreach (var (scale, runs) in counts)
        {
            Assert.All(runs, r => Assert.True(ModelRegistry.IsAutoencoder(r.Config.Model), $"{scale}: {r.Config.Model}"));
            Assert.All(runs, r => r.Config.Validate());
            Assert.Equal([InputMode.True, InputMode.Shuffled, InputMode.Random, InputMode.Gaussian], runs.Select(r => r.Config.Inputs).Distinct());
            Assert.All(runs, r => Assert.Equal((true, 0.001, 0.0), (r.Config.UntilFit, r.Config.ReconstructionTarget, r.Config.LabelNoise)));
        }
        Assert.Equal([1, 10, 100], counts["quick"].Select(r => r.Config.TrainSize).Distinct().Order());
        Assert.Equal([1, 10, 100, 1000], counts["paper"].Select(r => r.Config.TrainSize).Distinct().Order());
        Assert.Equal(["ae-conv-2x16", "ae-mlp-2x256"], counts["paper"].Select(r => r.Config.Model).Distinct().Order(StringComparer.Ordinal));
        Assert.All(counts["quick"], r => Assert.Equal(1.0, r.Config.LearningRate));
    }
}
