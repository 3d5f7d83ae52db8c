using TorchSharp;
using static TorchSharp.torch;

namespace Shatter.Training.Tasks;

/// <summary>
/// The paper's task: images (or any examples) in classes; cross-entropy, an example is right when its argmax is its
/// (possibly corrupted) label, the score is the accuracy. Until-fit runs screen their training-set evaluation
/// (<see cref="Running"/>).
/// </summary>
public sealed class ClassificationTask(TrainingData data, TrainConfig config) : SupervisedTask(data, config)
{
    /// <summary>Images of the end-of-epoch check: at most this many of those likely still wrong.</summary>
    const int ScreenImages = 256;

    /// <summary>bool (B) per step of the epoch, in the epoch's order: which images its forward pass got right (until-fit runs only).</summary>
    readonly List<Tensor> forwardCorrect = [];

    public override string Name => "classification";
    public override TaskScore Score => TaskScore.Accuracy;

    protected override Tensor Loss(Tensor output, Tensor target, nn.Reduction reduction) => nn.functional.cross_entropy(output, target, reduction: reduction);

    protected override Tensor Correct(Tensor output, Tensor target) => output.argmax(1).eq(target);

    protected override double SetScore(double lossSum, long correct, Tensor target) => target.shape[0] == 0 ? 0 : correct / (double)target.shape[0];

    /// <summary>A resumed checkpoint's running record of its epoch's first batches, until that epoch begins.</summary>
    bool[]? correctBefore;

    public override void BeginEpoch(int epoch, EpochRandom random)
    {
        forwardCorrect.Clear(); // the last epoch's tensors died with its dispose scope
        base.BeginEpoch(epoch, random);
        if (correctBefore is not null) forwardCorrect.Add(tensor(correctBefore).to(Data.TrainY.device));
        correctBefore = null;
    }

    public override CheckpointState SaveTo(CheckpointState state)
    {
        state = base.SaveTo(state);
        if (state.BatchesIntoEpoch == 0 || forwardCorrect.Count == 0) return state;
        using var all = cat(forwardCorrect, 0);
        using var cpu = all.cpu();
        return state with { RunningCorrect = cpu.data<bool>().ToArray() };
    }

    public override void RestoreFrom(CheckpointState state)
    {
        base.RestoreFrom(state);
        correctBefore = state.BatchesIntoEpoch > 0 ? state.RunningCorrect : null;
    }

    protected override void Forwarded(Tensor output, Tensor target)
    {
        if (Config.UntilFit) forwardCorrect.Add(Correct(output.detach(), target).MoveToOuterDisposeScope()); // into the epoch's scope
    }

    /// <summary>
    /// The screen of an until-fit epoch's training-set evaluation. The end-of-epoch model, in eval mode, classifies up
    /// to <see cref="ScreenImages"/> training images that the epoch's forward passes or the last epoch's end got wrong; if it
    /// still gets so many wrong that its accuracy over the whole training set is certainly below the fit target, the
    /// whole-set pass cannot find the fit and is skipped: the epoch records its running training loss and accuracy (the
    /// epoch's forward passes, in training mode, each by the model of its step) and each image's correctness in its forward
    /// pass instead. Otherwise (or when the forward passes got none wrong, or did not cover the epoch) null: the whole set
    /// is measured. So the fit — the target accuracy of the model over the whole training set — is found at exactly the same epoch.
    /// </summary>
    protected override (double Loss, double Score, bool[] Correct)? Running(nn.Module<Tensor, Tensor> model, Evaluation evaluation)
    {
        if (!Config.UntilFit || forwardCorrect.Count == 0) return null;
        using var scope = NewDisposeScope();
        int n = Data.TrainCount, batch = Config.BatchSize;
        var inOrder = cat(forwardCorrect, 0);                                             // bool (n) in the epoch's order
        if (inOrder.shape[0] != n) return null;                                           // a resumed epoch's first steps ran elsewhere
        var correct = zeros(n, dtype: ScalarType.Bool, device: inOrder.device).index_put_(inOrder, order!);
        // the images most likely still wrong: wrong in this epoch's forward pass, or at the last epoch's end (near the fit
        // an image a step got wrong is often right after that step's update, while one the last epoch ended wrong on is not)
        var lastWrong = tensor(firstFit.Select(f => f < 0).ToArray()).to(inOrder.device);
        var wrong = correct.logical_not().logical_or_(lastWrong).nonzero().flatten();      // ascending image indices
        if (wrong.shape[0] == 0) return null;
        var probe = wrong.narrow(0, 0, Math.Min(ScreenImages, wrong.shape[0]));
        model.eval();
        var (_, _, probeCorrect) = MeasureSet(model, Data.TrainEvalX.index_select(0, probe), Data.TrainY.index_select(0, probe));
        int stillWrong = probeCorrect.Count(c => !c);
        if (!((n - stillWrong) / (double)n < Config.FitTarget)) return null;              // the model may meet the target: measure it
        var flags = correct.cpu().data<bool>().ToArray();
        var stepLosses = evaluation.StepLosses;
        double loss = 0;
        for (int i = 0; i < stepLosses.Length; i++) loss += stepLosses[i] * (double)Math.Min(batch, n - i * batch);
        return (loss / n, flags.Count(f => f) / (double)n, flags);
    }
}
