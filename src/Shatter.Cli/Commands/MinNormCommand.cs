using System.ComponentModel;
using Shatter.Theory;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Shatter.Cli.Commands;

/// <summary><c>shatter minnorm</c>: SGD from w = 0 reaches the minimum-norm interpolant; from elsewhere it does not.</summary>
public sealed class MinNormCommand(IAnsiConsole console) : Command<MinNormCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-n|--points <N>")]
        [Description("Examples n (default 50; also --n).")]
        public int N { get; init; } = 50;

        [CommandOption("-d|--dimension <D>")]
        [Description("Dimension d, larger than n (default 200; also --d).")]
        public int D { get; init; } = 200;

        [CommandOption("--epochs <N>")]
        [Description("SGD epochs (default 500).")]
        public int Epochs { get; init; } = 500;

        [CommandOption("--seed <N>")]
        public long Seed { get; init; } = 1;

        [CommandOption("--json")]
        [Description("Print one JSON object instead of text.")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var r = MinimumNormExperiment.Run(settings.N, settings.D, settings.Epochs, settings.Seed);
        if (settings.Json)
        {
            console.Profile.Out.Writer.WriteLine(Shatter.Json.Serialize(r));
            return 0;
        }
        console.MarkupLine($"[bold]least squares[/], n = {r.N} < d = {r.D}, {r.Epochs} epochs of SGD, step {r.LearningRate:G3}; ‖w_min‖ = {r.MinimumNorm:G4} with w_min = Xᵀ(XXᵀ)⁻¹y");
        console.MarkupLine($"from w = 0:  ‖w − w_min‖/‖w_min‖ = {r.FromZeroRelativeDistance:G3}, residual {r.FromZeroResidual:G3}, ‖w‖ = {r.FromZeroNorm:G4}  → the minimum-norm solution");
        console.MarkupLine($"from w₀ ≠ 0: ‖w − w_min‖/‖w_min‖ = {r.FromStartRelativeDistance:G3}, residual {r.FromStartResidual:G3}, ‖w‖ = {r.FromStartNorm:G4}; distance to w_min + (I − P)w₀: {r.FromStartDistanceToPredicted:G3}  → interpolates, but not with the minimum norm");
        return 0;
    }
}
