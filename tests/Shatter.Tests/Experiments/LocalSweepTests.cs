using Shatter.Experiments;
using Shatter.Results;

namespace Shatter.Tests.Experiments;

public sealed class LocalSweepTests
{
    [Fact]
    public void Workers_are_one_per_core_on_the_cpu_and_one_where_this_process_cannot_start_copies_or_on_a_gpu()
    {
        var sweep = new LocalSweep { Spec = "figure1", Scale = "quick", Database = DatabaseAddress.Parse("x.db"), Shatter = ["shatter"] };
        Assert.Equal(Math.Min(Environment.ProcessorCount, 18), sweep.EffectiveWorkers(18));
        Assert.Equal(1, sweep.EffectiveWorkers(1));   // never more than the runs
        Assert.Equal(3, new LocalSweep { Spec = "a", Scale = "s", Database = sweep.Database, Workers = 3 }.EffectiveWorkers(18));
        Assert.Equal(1, new LocalSweep { Spec = "a", Scale = "s", Database = sweep.Database }.EffectiveWorkers(18));   // hosted in a test
        Assert.Equal(1, new LocalSweep { Spec = "a", Scale = "s", Database = sweep.Database, Shatter = ["shatter"], Device = "cuda" }.EffectiveWorkers(18));
        Assert.Equal(1, new LocalSweep { Spec = "a", Scale = "s", Database = sweep.Database, Shatter = ["shatter"], IsWorker = true, Workers = 4 }.EffectiveWorkers(18));
    }
}
