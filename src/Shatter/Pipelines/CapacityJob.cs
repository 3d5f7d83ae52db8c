using Shatter.Measures;
using Shatter.Results;
using Shatter.Runtime;

namespace Shatter.Pipelines;

/// <summary>
/// The report's Rademacher and shattering results for the main job, computed once per results database (a rerun finds them
/// stored): MLP 1x512 on 1,000 Fashion-MNIST images, 3 random ±1 labelings, R̂ after 5, 20 and 100 epochs; MLP 1x4 on
/// all 1,024 labellings of 10 points in 2-D. Dry-run: 50 images, 1 labeling, 5 epochs; 4 points.
/// </summary>
public static class CapacityJob
{
    /// <summary>Runs what <paramref name="store"/> does not hold yet, storing each new result; each also goes to its listener method.</summary>
    public static void Run(IResultsStore store, bool dryRun, string? dataDir, IReproductionListener listener)
    {
        int n = dryRun ? 50 : 1000, draws = dryRun ? 1 : 3, points = dryRun ? 4 : 10;
        int[] budgets = dryRun ? [5] : [5, 20, 100];
        if (!store.Capacity().Rademacher.Any(r => r.Model == "mlp-1x512" && r.TrainSize == n && r.Draws == draws && r.Seed == 1))
        {
            var r = RademacherExperiment.Run("mlp-1x512", "fashion-mnist", dataDir, n, draws, budgets);
            store.SaveCapacity(r);
            listener.Rademacher(r);
        }
        if (!store.Capacity().Shattering.Any(r => r.Model == "mlp-1x4" && r.N == points && r.D == 2 && r.Seed == 1))
        {
            int before = TorchSharp.torch.get_num_threads();
            TorchRuntime.SetThreads(1); // tiny tensors: one thread is fastest (docs/measures.md)
            try
            {
                var v = ShatteringExperiment.Run("mlp-1x4", points, 2);
                store.SaveCapacity(v);
                listener.Shattering(v);
            }
            finally
            {
                TorchRuntime.SetThreads(before);
            }
        }
    }
}
