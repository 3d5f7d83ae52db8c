using Shatter.Environments;

namespace Shatter.Tests.Environments;

public sealed class MazeLevelSourceTests
{
    [Fact]
    public void A_fixed_source_holds_n_levels_and_draws_only_them_uniformly()
    {
        var source = MazeLevelSource.Fixed(10, 7, 1);
        Assert.Equal(10, source.Levels.Count);
        Assert.False(source.IsUnlimited);
        var seeds = source.Levels.Select(l => l.Seed).ToHashSet();
        var counts = source.Draw(5000).GroupBy(l => l.Seed).ToDictionary(g => g.Key, g => g.Count());
        Assert.Subset(seeds, counts.Keys.ToHashSet());
        Assert.Equal(10, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 400, 600)); // 500 each expected
    }

    [Fact]
    public void Sources_from_the_same_seed_draw_the_same_sequence()
    {
        var a = MazeLevelSource.Fixed(10, 7, 1);
        var b = MazeLevelSource.Fixed(10, 7, 1);
        Assert.Equal(a.Draw(50).Select(l => l.Seed), b.Draw(50).Select(l => l.Seed));
        Assert.NotEqual(a.Levels.Select(l => l.Seed), MazeLevelSource.Fixed(10, 7, 2).Levels.Select(l => l.Seed));
        var u = MazeLevelSource.Unlimited(7, 3);
        var v = MazeLevelSource.Unlimited(7, 3);
        Assert.Equal(u.Draw(20).Select(l => l.Render()), v.Draw(20).Select(l => l.Render()));
    }

    [Fact]
    public void An_unlimited_source_gives_a_fresh_level_to_every_episode()
    {
        var source = MazeLevelSource.Unlimited(9, 4);
        Assert.True(source.IsUnlimited);
        Assert.Empty(source.Levels);
        var first = source.Draw(100);
        var second = source.Draw(100);
        var seeds = first.Concat(second).Select(l => l.Seed).ToHashSet();
        Assert.Equal(200, seeds.Count);
        Assert.True(first.Concat(second).Select(l => l.Render()).Distinct().Count() >= 198);
    }

    [Fact]
    public void New_levels_never_repeat_a_training_layout_even_where_layouts_repeat()
    {
        // 5×5 mazes: 4 rooms, 7 open cells, so at most 4 trees × 42 start/goal pairs = 168 layouts: 100 training
        // levels cover many of them, and plain held-out draws would repeat some.
        var training = MazeLevelSource.Fixed(100, 5, 1);
        var fresh = training.NewLevels(50, 99);
        Assert.Equal(50, fresh.Length);
        Assert.DoesNotContain(fresh, n => training.Levels.Any(n.SameLayout));
        var unfiltered = MazeLevelSource.Unlimited(5, 1).NewLevels(50, 99); // the same candidates, no exclusion
        Assert.Contains(unfiltered, n => training.Levels.Any(n.SameLayout)); // so the filter did something
        Assert.Equal(fresh.Select(l => l.Seed), training.NewLevels(50, 99).Select(l => l.Seed)); // deterministic
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(1_000_001)]
    public void An_impossible_number_of_levels_is_an_error(int count)
    {
        var e = Assert.Throws<ShatterException>(() => MazeLevelSource.Fixed(count, 7, 1));
        Assert.Contains("number of training levels", e.Message);
    }

    [Fact]
    public void Too_many_new_levels_for_a_tiny_maze_is_an_error_not_a_hang()
    {
        var training = MazeLevelSource.Fixed(2000, 5, 1); // covers nearly every 5×5 layout
        var e = Assert.Throws<ShatterException>(() => training.NewLevels(500, 7));
        Assert.Contains("larger side", e.Message);
    }
}
