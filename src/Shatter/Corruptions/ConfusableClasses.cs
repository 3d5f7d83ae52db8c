namespace Shatter.Corruptions;

/// <summary>
/// The transition rows of the structured label-noise modes. <see cref="Map"/> is the asymmetric mode's
/// class map per dataset: a drawn label of class c becomes map[c]; a class absent from the map keeps its
/// label, so the realized flip rate is p × (mapped share of the examples).
/// <list type="bullet">
/// <item>cifar10 (Patrini et al. 2017): truck → automobile, bird → airplane, cat ↔ dog, deer → horse.</item>
/// <item>mnist (Patrini et al. 2017): 7 → 1, 2 → 7, 5 ↔ 6, 3 → 8.</item>
/// <item>fashion-mnist (ours): the pairs a trained classifier confuses most: T-shirt/top ↔ shirt,
/// pullover ↔ coat, sandal → sneaker, ankle boot → sneaker; trouser, dress, sneaker and bag keep their labels.</item>
/// <item>cifar100 (fine labels; as Han et al. 2018 and Patrini et al.): each class goes to the next class of its
/// superclass, cyclically (the five fine classes of a superclass in label order), so every class is mapped
/// and the noise stays within what a human would also confuse.</item>
/// </list>
/// cifar100-coarse has no map (use pair-flip or matrix).
/// </summary>
public static class ConfusableClasses
{
    /// <summary>The CIFAR-100 superclass (coarse label) of each fine label 0..99, from the dataset's own records.</summary>
    public static readonly int[] Cifar100Superclass =
    [
        4, 1, 14, 8, 0, 6, 7, 7, 18, 3, 3, 14, 9, 18, 7, 11, 3, 9, 7, 11,
        6, 11, 5, 10, 7, 6, 13, 15, 3, 15, 0, 11, 1, 10, 12, 14, 16, 9, 11, 5,
        5, 19, 8, 8, 15, 13, 14, 17, 18, 10, 16, 4, 17, 4, 2, 0, 17, 4, 18, 17,
        10, 3, 2, 12, 12, 16, 12, 1, 9, 19, 2, 10, 0, 1, 16, 12, 9, 13, 15, 13,
        16, 19, 2, 4, 6, 19, 5, 5, 8, 19, 18, 1, 2, 15, 6, 0, 17, 8, 14, 13,
    ];

    /// <summary>Datasets that have an asymmetric map.</summary>
    public static readonly IReadOnlyList<string> Datasets = ["cifar10", "mnist", "fashion-mnist", "cifar100"];

    /// <summary>The asymmetric map of a dataset: map[c] is where a drawn label of class c goes (c itself: unmapped).</summary>
    public static int[] Map(string dataset)
    {
        switch (dataset.ToLowerInvariant())
        {
            case "cifar10": // 0 airplane, 1 automobile, 2 bird, 3 cat, 4 deer, 5 dog, 6 frog, 7 horse, 8 ship, 9 truck
                return With(10, (9, 1), (2, 0), (3, 5), (5, 3), (4, 7));
            case "mnist":
                return With(10, (7, 1), (2, 7), (5, 6), (6, 5), (3, 8));
            case "fashion-mnist": // 0 T-shirt/top, 1 trouser, 2 pullover, 3 dress, 4 coat, 5 sandal, 6 shirt, 7 sneaker, 8 bag, 9 ankle boot
                return With(10, (0, 6), (6, 0), (2, 4), (4, 2), (5, 7), (9, 7));
            case "cifar100":
                var map = new int[100];
                for (int c = 0; c < 100; c++)
                {
                    var members = Enumerable.Range(0, 100).Where(f => Cifar100Superclass[f] == Cifar100Superclass[c]).ToList();
                    map[c] = members[(members.IndexOf(c) + 1) % members.Count];
                }
                return map;
            default:
                throw new ShatterException($"asymmetric label noise has no confusable-class map for '{dataset}' (only {string.Join(", ", Datasets)}); use --label-noise-mode pair-flip, or matrix with --transition FILE.");
        }
    }

    /// <summary>The asymmetric mode's transition rows: row c is one-hot at map[c].</summary>
    public static double[,] Rows(string dataset, int classes)
    {
        var map = Map(dataset);
        if (map.Length != classes)
            throw new ShatterException($"the asymmetric map of {dataset} has {map.Length} classes but the data has {classes}; check the dataset.");
        return OneHot(map);
    }

    /// <summary>Pair flip: row c is one-hot at c + 1 mod C.</summary>
    public static double[,] PairFlip(int classes) => OneHot([.. Enumerable.Range(0, classes).Select(c => (c + 1) % classes)]);

    static double[,] OneHot(int[] map)
    {
        var rows = new double[map.Length, map.Length];
        for (int c = 0; c < map.Length; c++) rows[c, map[c]] = 1;
        return rows;
    }

    static int[] With(int classes, params (int From, int To)[] moves)
    {
        var map = Enumerable.Range(0, classes).ToArray();
        foreach (var (from, to) in moves) map[from] = to;
        return map;
    }
}
