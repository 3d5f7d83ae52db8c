using Shatter.Environments;

namespace Shatter.Tests.Environments;

public sealed class MazeLevelTests
{
    [Fact]
    public void The_same_seed_gives_the_same_level_and_other_seeds_give_other_levels()
    {
        var a = MazeLevel.Generate(42, 9);
        var b = MazeLevel.Generate(42, 9);
        Assert.Equal(a.Render(), b.Render());
        Assert.True(a.SameLayout(b));
        var others = Enumerable.Range(0, 20).Select(s => MazeLevel.Generate(1000 + s, 9).Render()).ToHashSet();
        Assert.True(others.Count >= 19, $"20 seeds gave only {others.Count} distinct 9×9 levels");
        Assert.DoesNotContain(a.Render(), others);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(15)]
    public void Generated_mazes_are_perfect_with_walled_borders_and_a_reachable_goal(int side)
    {
        int rooms = (side - 1) / 2;
        for (long seed = 0; seed < 100; seed++)
        {
            var level = MazeLevel.Generate(seed, side);
            var open = Enumerable.Range(0, level.Cells).Where(c => !level.IsWall(c)).ToList();
            // a spanning tree over rooms² rooms opens every room and rooms² − 1 passages between them
            Assert.Equal(2 * rooms * rooms - 1, open.Count);
            for (int i = 0; i < side; i++)
            {
                Assert.True(level.IsWall(i) && level.IsWall((side - 1) * side + i) && level.IsWall(i * side) && level.IsWall(i * side + side - 1));
            }
            Assert.NotEqual(level.Start, level.Goal);
            Assert.False(level.IsWall(level.Start) || level.IsWall(level.Goal));
            Assert.InRange(level.ShortestPath(), 1, open.Count - 1);
            // connected: every open cell is reachable from the start (a tree on open cells has |open| − 1 adjacencies)
            int adjacencies = open.Sum(c => (c + 1 < level.Cells && !level.IsWall(c + 1) ? 1 : 0) + (c + side < level.Cells && !level.IsWall(c + side) ? 1 : 0));
            Assert.Equal(open.Count - 1, adjacencies);
            Assert.Equal(open.Count, Reachable(level));
        }
    }

    static int Reachable(MazeLevel level)
    {
        var seen = new HashSet<int> { level.Start };
        var queue = new Queue<int>([level.Start]);
        while (queue.Count > 0)
        {
            int cell = queue.Dequeue();
            for (int a = 0; a < MazeBatch.Actions; a++)
                if (seen.Add(level.Move(cell, a))) queue.Enqueue(level.Move(cell, a));
        }
        return seen.Count;
    }

    [Fact]
    public void A_drawn_level_reads_back_as_drawn_and_its_shortest_path_is_counted_by_hand()
    {
        string[] rows =
        [
            "#######",
            "#S..#.#",
            "###.#.#",
            "#...#.#",
            "#.###.#",
            "#....G#",
            "#######",
        ];
        var level = MazeLevel.Parse(rows);
        Assert.Equal(string.Join("\n", rows), level.Render());
        Assert.Equal(1 * 7 + 1, level.Start);
        Assert.Equal(5 * 7 + 5, level.Goal);
        // right 2, down 2, left 2, down 2, right 4
        Assert.Equal(12, level.ShortestPath());
        Assert.Equal(-1, MazeLevel.Parse("S#G").ShortestPath());
    }

    [Fact]
    public void Moves_stop_at_walls_and_at_the_grid_edge()
    {
        var level = MazeLevel.Parse("S.", "#G");
        Assert.Equal(0, level.Move(0, 0)); // up: off the grid
        Assert.Equal(0, level.Move(0, 1)); // down: wall
        Assert.Equal(0, level.Move(0, 2)); // left: off the grid
        Assert.Equal(1, level.Move(0, 3)); // right: open
        Assert.Equal(3, level.Move(1, 1)); // down into the goal
    }

    [Theory]
    [InlineData(4)]
    [InlineData(3)]
    [InlineData(65)]
    public void Impossible_sides_are_one_sentence_errors(int side)
    {
        var e = Assert.Throws<ShatterException>(() => MazeLevel.Generate(1, side));
        Assert.Contains("must be odd, from 5 to 63", e.Message);
    }

    [Theory]
    [InlineData(new[] { "S.", ".." }, "one start 'S' and one goal 'G'")]
    [InlineData(new[] { "SS", "G." }, "more than one start")]
    [InlineData(new[] { "SG", "G." }, "more than one goal")]
    [InlineData(new[] { "SGx" }, "holds 'x'")]
    [InlineData(new[] { "SG", "." }, "rows of one length")]
    public void Bad_drawings_are_one_sentence_errors(string[] rows, string expected)
    {
        var e = Assert.Throws<ShatterException>(() => MazeLevel.Parse(rows));
        Assert.Contains(expected, e.Message);
    }
}
