using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Training;

/// <summary>
/// What a run learns, as the trainer needs it: the loss of a batch, which examples count as fitted, and
/// the per-set score. Classification (the paper's): cross-entropy, argmax = label, accuracy. Regression
/// (beyond the paper; standardized real targets, one model output): squared error, |error| &lt;
/// <see cref="RegressionTolerance"/> target standard deviations, and R² = 1 − SSE / Σ(y − ȳ)², which the
/// trainer records in its accuracy columns and compares with the fit target (R² ≥ 1 − m ⇔ MSE ≤ m·var(y)).
/// R² of constant targets is 0/0: NaN (undefined), never a number that reads as a score.
/// </summary>
public abstract class TrainingTask
{
    /// <summary>An example counts as fitted when its prediction is within this many target standard deviations.</summary>
    public const double RegressionTolerance = 0.1;

    public static readonly TrainingTask Classification = new ClassificationTask();
    public static readonly TrainingTask Regression = new RegressionTask();

    public abstract string Name { get; }

    /// <summary>Loss of outputs (B, classes or 1) against targets (B), mean or summed.</summary>
    public abstract Tensor Loss(Tensor output, Tensor target, nn.Reduction reduction);

    /// <summary>bool (B): the examples the model gets right.</summary>
    public abstract Tensor Correct(Tensor output, Tensor target);

    /// <summary>The set's score from its summed loss and count of right examples: accuracy, or R².</summary>
    public abstract double Score(double lossSum, long correct, Tensor target);

    sealed class ClassificationTask : TrainingTask
    {
        public override string Name => "classification";

        public override Tensor Loss(Tensor output, Tensor target, nn.Reduction reduction) => nn.functional.cross_entropy(output, target, reduction: reduction);

        public override Tensor Correct(Tensor output, Tensor target) => output.argmax(1).eq(target);

        public override double Score(double lossSum, long correct, Tensor target) => target.shape[0] == 0 ? 0 : correct / (double)target.shape[0];
    }

    sealed class RegressionTask : TrainingTask
    {
        public override string Name => "regression";

        public override Tensor Loss(Tensor output, Tensor target, nn.Reduction reduction) => nn.functional.mse_loss(output.squeeze(1), target, reduction);

        public override Tensor Correct(Tensor output, Tensor target)
        {
            using var tolerance = RegressionTolerance.ToScalar();
            return output.squeeze(1).sub(target).abs().lt(tolerance);
        }

        public override double Score(double lossSum, long correct, Tensor target)
        {
            using var scope = NewDisposeScope();
            var t = target.to_type(ScalarType.Float64);
            var centred = t.sub(t.mean());
            double total = centred.mul(centred).sum().item<double>();
            return total > 0 ? 1 - lossSum / total : double.NaN;
        }
    }
}
