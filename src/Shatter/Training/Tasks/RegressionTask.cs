using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Training.Tasks;

/// <summary>
/// Regression on a table (beyond the paper; standardized real targets, one model output): squared error; an example
/// is right when its prediction is within <see cref="Tolerance"/> target standard deviations; the score is
/// R² = 1 − SSE / Σ(y − ȳ)², recorded in the accuracy columns and compared with the fit target
/// (R² ≥ 1 − m ⇔ MSE ≤ m·var(y)). R² of constant targets is 0/0: NaN (undefined), never a number that reads as a score.
/// </summary>
public sealed class RegressionTask(TrainingData data, TrainConfig config) : SupervisedTask(data, config)
{
    /// <summary>An example counts as fitted when its prediction is within this many target standard deviations.</summary>
    public const double Tolerance = 0.1;

    public override string Name => "regression";
    public override TaskScore Score => TaskScore.RSquared;

    protected override Tensor Loss(Tensor output, Tensor target, nn.Reduction reduction) => nn.functional.mse_loss(output.squeeze(1), target, reduction);

    protected override Tensor Correct(Tensor output, Tensor target)
    {
        using var tolerance = Tolerance.ToScalar();
        return output.squeeze(1).sub(target).abs().lt(tolerance);
    }

    protected override double SetScore(double lossSum, long correct, Tensor target)
    {
        using var scope = NewDisposeScope();
        var t = target.to_type(ScalarType.Float64);
        var centred = t.sub(t.mean());
        double total = centred.mul(centred).sum().item<double>();
        return total > 0 ? 1 - lossSum / total : double.NaN;
    }
}
