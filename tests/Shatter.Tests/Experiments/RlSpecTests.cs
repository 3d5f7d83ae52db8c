using Shatter.Environments;
using Shatter.Experiments;
using Shatter.Training.Tasks;

namespace Shatter.Tests.Experiments;

/// <summary>The built-in rl spec: its scales and the grid of randomizations × training levels it expands to.</summary>
public sealed class RlSpecTests
{
    [Fact]
    public void The_rl_spec_expands_to_three_randomizations_by_four_level_counts_at_every_scale()
    {
        var spec = BuiltInSpecs.Resolve("rl");
        Assert.Equal("rl", spec.Name);
        Assert.Equal(["dry-run", "quick", "paper"], spec.Scales.Keys);
        var quick = spec.Expand("quick");
        Assert.Equal(12, quick.Count);
        Assert.All(quick, r =>
        {
            Assert.Equal((MazeTask.DatasetName, "mlp-2x64", true, 60), (r.Config.Dataset, r.Config.Model, r.Config.UntilFit, r.Config.Epochs));
            r.Config.Validate();
        });
        Assert.Equal([MazeRandomization.None, MazeRandomization.RandomGoal, MazeRandomization.ShuffledCells], quick.Select(r => r.Config.Maze).Distinct());
        Assert.All(quick.GroupBy(r => r.Config.Maze), g => Assert.Equal([10, 100, 1000, 0], g.Select(r => r.Config.TrainSize)));
        Assert.Equal(["random goal", "shuffled cells", "true levels"], quick.Select(r => r.Point["randomization"]).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(12, quick.Select(r => r.Hash).Distinct().Count());
        Assert.Equal(1, spec.Expand("dry-run")[0].Config.Epochs);
        var paper = spec.Expand("paper");
        Assert.Equal(36, paper.Count);
        Assert.Equal([1L, 2L, 3L], paper.Select(r => r.Config.Seed).Distinct().Order());
    }
}
