using System.Text;

namespace Shatter.Environments;

/// <summary>
/// One grid-maze level: a Height×Width grid of wall and open cells (row-major cell index r·Width + c), a start and a
/// goal cell, and the seed it was generated from. <see cref="Generate"/> carves a perfect maze (one path between any
/// two open cells) with a randomized depth-first search over the odd-coordinate "rooms" — the recursive-backtracker
/// generator that Procgen's Maze (Cobbe et al. 2020) also uses — then draws the start and the goal uniformly from the
/// open cells, all from the level seed. <see cref="Parse"/> reads a hand-drawn level for tests.
/// </summary>
public sealed class MazeLevel
{
    public const int MinSide = 5;
    public const int MaxSide = 63;

    readonly bool[] walls;

    public int Height { get; }
    public int Width { get; }
    public int Start { get; }
    public int Goal { get; }
    /// <summary>The seed <see cref="Generate"/> used; 0 for a parsed level.</summary>
    public long Seed { get; }

    public int Cells => Height * Width;

    /// <summary>Wall (true) or open (false) per cell, row-major.</summary>
    public ReadOnlySpan<bool> Walls => walls;

    MazeLevel(int height, int width, bool[] walls, int start, int goal, long seed)
    {
        Height = height;
        Width = width;
        this.walls = walls;
        Start = start;
        Goal = goal;
        Seed = seed;
    }

    public bool IsWall(int cell) => walls[cell];

    /// <summary>A side×side maze (side odd, 5 to 63) from a level seed: walls, start and goal.</summary>
    public static MazeLevel Generate(long seed, int side)
    {
        if (side < MinSide || side > MaxSide || side % 2 == 0)
            throw new ShatterException($"a maze's side must be odd, from {MinSide} to {MaxSide} (walls on the odd grid lines), not {side}.");
        var random = new SplitMix64(seed);
        var walls = new bool[side * side];
        Array.Fill(walls, true);
        int rooms = (side - 1) / 2; // rooms per row and column, at odd coordinates
        var visited = new bool[rooms * rooms];
        var stack = new Stack<int>();
        int first = random.Below(rooms * rooms);
        visited[first] = true;
        walls[RoomCell(first, rooms, side)] = false;
        stack.Push(first);
        Span<int> next = stackalloc int[4];
        while (stack.Count > 0)
        {
            int room = stack.Peek();
            int ry = room / rooms, rx = room % rooms, count = 0;
            if (ry > 0 && !visited[room - rooms]) next[count++] = room - rooms;
            if (ry < rooms - 1 && !visited[room + rooms]) next[count++] = room + rooms;
            if (rx > 0 && !visited[room - 1]) next[count++] = room - 1;
            if (rx < rooms - 1 && !visited[room + 1]) next[count++] = room + 1;
            if (count == 0)
            {
                stack.Pop();
                continue;
            }
            int chosen = next[random.Below(count)];
            int a = RoomCell(room, rooms, side), b = RoomCell(chosen, rooms, side);
            walls[(a + b) / 2] = false; // the wall cell between two rooms is their midpoint
            walls[b] = false;
            visited[chosen] = true;
            stack.Push(chosen);
        }
        var open = Enumerable.Range(0, walls.Length).Where(c => !walls[c]).ToArray();
        int start = open[random.Below(open.Length)];
        int goal = start;
        while (goal == start) goal = open[random.Below(open.Length)];
        return new MazeLevel(side, side, walls, start, goal, seed);
    }

    static int RoomCell(int room, int rooms, int side) => (2 * (room / rooms) + 1) * side + 2 * (room % rooms) + 1;

    /// <summary>
    /// A level drawn as text rows: '#' wall, '.' open, 'S' start, 'G' goal (both open), one of each. The border need
    /// not be walls: the grid's edge stops the agent too.
    /// </summary>
    public static MazeLevel Parse(params string[] rows)
    {
        if (rows.Length == 0 || rows[0].Length == 0 || rows.Any(r => r.Length != rows[0].Length))
            throw new ShatterException("a maze drawing needs rows of one length; use '#', '.', 'S' and 'G'.");
        int h = rows.Length, w = rows[0].Length;
        var walls = new bool[h * w];
        int start = -1, goal = -1;
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
            {
                int cell = r * w + c;
                switch (rows[r][c])
                {
                    case '#': walls[cell] = true; break;
                    case '.': break;
                    case 'S': start = start < 0 ? cell : throw new ShatterException("a maze drawing has more than one start 'S'."); break;
                    case 'G': goal = goal < 0 ? cell : throw new ShatterException("a maze drawing has more than one goal 'G'."); break;
                    default: throw new ShatterException($"a maze drawing holds '{rows[r][c]}'; use '#', '.', 'S' and 'G'.");
                }
            }
        if (start < 0 || goal < 0) throw new ShatterException("a maze drawing needs one start 'S' and one goal 'G'.");
        return new MazeLevel(h, w, walls, start, goal, 0);
    }

    /// <summary>Fewest moves from the start to the goal (breadth-first search), or −1 when the goal is unreachable.</summary>
    public int ShortestPath()
    {
        var distance = new int[Cells];
        Array.Fill(distance, -1);
        var queue = new Queue<int>();
        distance[Start] = 0;
        queue.Enqueue(Start);
        while (queue.Count > 0)
        {
            int cell = queue.Dequeue();
            if (cell == Goal) return distance[cell];
            for (int action = 0; action < MazeBatch.Actions; action++)
            {
                int to = Move(cell, action);
                if (distance[to] < 0)
                {
                    distance[to] = distance[cell] + 1;
                    queue.Enqueue(to);
                }
            }
        }
        return -1;
    }

    /// <summary>The cell an action leads to: the neighbour up/down/left/right (<see cref="MazeBatch"/>), or the same cell at a wall or the edge.</summary>
    public int Move(int cell, int action)
    {
        int r = cell / Width, c = cell % Width;
        switch (action)
        {
            case 0: r--; break;
            case 1: r++; break;
            case 2: c--; break;
            case 3: c++; break;
            default: throw new ArgumentOutOfRangeException(nameof(action), action, "actions are 0 up, 1 down, 2 left, 3 right");
        }
        if (r < 0 || r >= Height || c < 0 || c >= Width) return cell;
        int to = r * Width + c;
        return walls[to] ? cell : to;
    }

    /// <summary>Same walls, start and goal (seeds may differ).</summary>
    public bool SameLayout(MazeLevel other) =>
        Height == other.Height && Width == other.Width && Start == other.Start && Goal == other.Goal && walls.AsSpan().SequenceEqual(other.walls);

    /// <summary>The level as <see cref="Parse"/> reads it, rows joined by newlines.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        for (int r = 0; r < Height; r++)
        {
            if (r > 0) text.Append('\n');
            for (int c = 0; c < Width; c++)
            {
                int cell = r * Width + c;
                text.Append(cell == Start ? 'S' : cell == Goal ? 'G' : walls[cell] ? '#' : '.');
            }
        }
        return text.ToString();
    }
}
