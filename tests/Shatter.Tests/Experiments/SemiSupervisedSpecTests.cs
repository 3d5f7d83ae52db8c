using Shatter.Experiments;

namespace Shatter.Tests.Experiments;

/// <summary>The built-in spec semisupervised: every scale expands to valid semi-supervised runs, noise 0 → 1 × method.</summary>
public sealed class SemiSupervisedSpecTests
{
    [Fact]
    public void Every_scale_crosses_label_noise_from_true_to_random_labels_with_the_three_methods()
    {
        var spec = BuiltInSpecs.Resolve("semisupervised");
        Assert.Equal("semisupervised", spec.Name);
        Assert.Equal(["dry-run", "quick", "paper"], spec.Scales.Keys);
        foreach (var (scale, noise, models) in new[] { ("dry-run", new[] { 0, 0.2, 0.4, 0.6, 0.8, 1.0 }, 1), ("quick", [0, 0.5, 1.0], 1), ("paper", [0, 0.2, 0.4, 0.6, 0.8, 1.0], 2) })
        {
            var runs = spec.Expand(scale);
            Assert.Equal(noise.Length * 3 * models, runs.Count);
            foreach (var method in new[] { "supervised", "pseudo-label", "fixmatch" })
                Assert.Equal(noise.Length * models, runs.Count(r => r.Config.SemiMethod == method));
            Assert.Equal(noise, runs.Select(r => r.Config.LabelNoise).Distinct().Order());
            Assert.All(runs, r =>
            {
                r.Config.Validate();                                            // every point is a run shatter accepts
                Assert.True(r.Config.Labelled > 0 && (r.Config.TrainSize == 0 || r.Config.Labelled < r.Config.TrainSize));
            });
            Assert.Equal(runs.Count, runs.Select(r => r.Hash).Distinct().Count()); // the method is part of the identity
        }
        Assert.All(spec.Expand("quick"), r => Assert.Equal((1000, 250, 500), (r.Config.TrainSize, r.Config.Labelled, r.Config.TestSize)));
        Assert.All(spec.Expand("paper"), r => Assert.Equal(("cifar10", 4000), (r.Config.Dataset, r.Config.Labelled)));
    }
}
