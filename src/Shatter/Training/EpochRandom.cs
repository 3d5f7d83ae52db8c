using TorchSharp;

namespace Shatter.Training;

/// <summary>
/// The random generators of one epoch, each seeded by (the run's seed, its name, the epoch), so a resumed run draws what
/// the uninterrupted one drew. <see cref="Once"/>: a generator for draws made when the epoch begins (an order of the
/// examples), drawn again identically on resume. <see cref="Stream"/>: a generator drawn from step by step (crops and
/// flips), whose state a checkpoint inside the epoch saves and a resume restores. libtorch's default generator (dropout)
/// is seeded by the trainer with (seed, "dropout", epoch) and saved alike, under the name "dropout".
/// </summary>
public sealed class EpochRandom(long seed, int epoch) : IDisposable
{
    /// <summary>The name under which the default generator's state is saved.</summary>
    public const string Dropout = "dropout";

    readonly Dictionary<string, torch.Generator> streams = [];
    readonly List<torch.Generator> once = [];

    public int Epoch { get; } = epoch;

    long SeedOf(string name) => Seeds.Derive(seed, $"{name}/{Epoch}");

    /// <summary>A fresh generator for draws made once per epoch (disposed with the epoch).</summary>
    public torch.Generator Once(string name)
    {
        var g = new torch.Generator((ulong)SeedOf(name));
        once.Add(g);
        return g;
    }

    /// <summary>The epoch's generator of that name, drawn from step by step; saved in checkpoints inside the epoch.</summary>
    public torch.Generator Stream(string name)
    {
        if (name == Dropout) throw new ArgumentException($"'{Dropout}' is libtorch's default generator, seeded by the trainer", nameof(name));
        if (!streams.TryGetValue(name, out var g)) streams[name] = g = new torch.Generator((ulong)SeedOf(name));
        return g;
    }

    /// <summary>Seeds libtorch's default generator (dropout masks) for the epoch and returns it.</summary>
    internal torch.Generator SeedDefault() => torch.manual_seed(SeedOf(Dropout));

    /// <summary>The generators a checkpoint inside the epoch saves: the default one and every stream, by name.</summary>
    internal IReadOnlyDictionary<string, torch.Generator> Saved(torch.Generator dropout) =>
        new SortedDictionary<string, torch.Generator>(streams, StringComparer.Ordinal) { [Dropout] = dropout };

    public void Dispose()
    {
        foreach (var g in streams.Values) g.Dispose();
        foreach (var g in once) g.Dispose();
    }
}
