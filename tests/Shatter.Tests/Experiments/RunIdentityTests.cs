using Shatter.Experiments;
using Shatter.Training;

namespace Shatter.Tests.Experiments;

public sealed class RunIdentityTests
{
    [Fact]
    public void The_hash_is_16_hex_digits_and_stable_across_calls()
    {
        var hash = RunIdentity.Hash(new TrainConfig());
        Assert.Matches("^[0-9a-f]{16}$", hash);
        Assert.Equal(hash, RunIdentity.Hash(new TrainConfig()));
    }

    [Fact]
    public void Execution_only_fields_do_not_change_the_identity_but_everything_else_does()
    {
        var a = new TrainConfig { LabelNoise = 0.2 };
        Assert.Equal(RunIdentity.Hash(a), RunIdentity.Hash(a with { DataDir = "/elsewhere", Device = "cuda", Threads = 7, EvalBatchSize = 10 }));
        Assert.NotEqual(RunIdentity.Hash(a), RunIdentity.Hash(a with { LabelNoise = 0.4 }));
        Assert.NotEqual(RunIdentity.Hash(a), RunIdentity.Hash(a with { Seed = 2 }));
        Assert.NotEqual(RunIdentity.Hash(a), RunIdentity.Hash(a with { Model = "mlp-3x512" }));
    }

    [Fact]
    public void The_canonical_form_has_sorted_keys_and_no_execution_fields()
    {
        var json = RunIdentity.Canonical(new TrainConfig());
        Assert.DoesNotContain("\"device\"", json);
        Assert.DoesNotContain("\"threads\"", json);
        var keys = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject().Select(p => p.Key).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
    }
}
