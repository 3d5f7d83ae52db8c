using Shatter.Experiments;
using Shatter.Training;

namespace Shatter.Tests.Experiments;

public sealed class RunIdentityTests
{
    /// <summary>
    /// Known identities, pinned: an accidental change to the canonical form (a renamed or re-typed option, a new option
    /// without <see cref="IdentityNeutralAttribute"/>, another JSON style) changes every run's identity, and sweeps would
    /// rerun finished work. The first three are the values from before the schedule option existed.
    /// </summary>
    public static TheoryData<string, TrainConfig> Pinned => new()
    {
        { "b5819319cee8c747", new TrainConfig() },
        // figure1 quick, random labels, seed 1: until-fit at a constant rate (the schedule changes nothing there)
        { "3e87e86d6fd25222", new TrainConfig { Dataset = "fashion-mnist", TrainSize = 10_000, TestSize = 2_000, LearningRate = 0.01, LearningRateDecay = 1, Epochs = 400, UntilFit = true, LabelNoise = 1 } },
        { "260c20bcc3d83099", new TrainConfig { Model = "alexnet", Dataset = "cifar10", WeightDecay = 5e-4, AugmentCrop = true, Epochs = 300, Seed = 3 } },
        // until-fit with a decaying rate: the constant schedule computes something new, so it has a new identity ...
        { "6108c05273779c48", new TrainConfig { UntilFit = true, Epochs = 1000 } },
        // ... and asking for the paper's schedule gives back the identity such runs always had
        { "4723d6350cc1006b", new TrainConfig { UntilFit = true, Epochs = 1000, Schedule = LearningRateSchedule.Paper } },
    };

    [Theory]
    [MemberData(nameof(Pinned))]
    public void Known_configurations_keep_their_pinned_identity(string expected, TrainConfig config) =>
        Assert.Equal(expected, RunIdentity.Hash(config));

    [Fact]
    public void An_option_at_its_identity_neutral_value_is_left_out_and_any_other_value_is_kept()
    {
        var paper = RunIdentity.Canonical(new TrainConfig { Schedule = LearningRateSchedule.Paper, LearningRateDecay = 0.95 });
        var constant = RunIdentity.Canonical(new TrainConfig { Schedule = LearningRateSchedule.Constant, LearningRateDecay = 0.95 });
        Assert.DoesNotContain("\"schedule\"", paper);
        Assert.Contains("\"schedule\":\"constant\"", constant);
        // at a constant rate the schedule changes nothing, so it is not part of the identity either
        Assert.Equal(RunIdentity.Hash(new TrainConfig { LearningRateDecay = 1, Schedule = LearningRateSchedule.Constant }),
            RunIdentity.Hash(new TrainConfig { LearningRateDecay = 1, Schedule = LearningRateSchedule.Paper }));
    }

    [Fact]
    public void The_structured_noise_and_regression_options_are_left_out_while_unset_and_change_the_identity_when_set()
    {
        var plain = new TrainConfig();
        Assert.Equal("b5819319cee8c747", RunIdentity.Hash(plain with { Transition = null, Target = null }));
        Assert.DoesNotContain("\"transition\"", RunIdentity.Canonical(plain));
        Assert.DoesNotContain("\"target\"", RunIdentity.Canonical(plain));
        var matrix = plain with { LabelNoise = 0.2, LabelNoiseMode = Shatter.Corruptions.LabelNoiseMode.Matrix, Transition = "t.csv" };
        Assert.NotEqual(RunIdentity.Hash(matrix), RunIdentity.Hash(matrix with { Transition = "u.csv" }));
        Assert.NotEqual(RunIdentity.Hash(plain with { LabelNoise = 0.2 }), RunIdentity.Hash(plain with { LabelNoise = 0.2, LabelNoiseMode = Shatter.Corruptions.LabelNoiseMode.PairFlip }));
        Assert.NotEqual(RunIdentity.Hash(plain with { Dataset = "csv:a.csv" }), RunIdentity.Hash(plain with { Dataset = "csv:a.csv", Target = "price" }));
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
