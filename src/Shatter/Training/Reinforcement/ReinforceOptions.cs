namespace Shatter.Training.Reinforcement;

/// <summary>
/// REINFORCE with a learned baseline (Williams 1992; Sutton and Barto, Reinforcement Learning, 2nd ed., §13.4):
/// <see cref="Gamma"/> the discount; <see cref="ValueCoefficient"/> c_v the weight of the baseline's squared error;
/// <see cref="EntropyCoefficient"/> β the entropy bonus (0: none; Mnih et al. 2016 use 0.01);
/// <see cref="LearningRate"/> for Adam (<see cref="Adam"/>); <see cref="Episodes"/> per update.
/// <see cref="NormalizeAdvantages"/>: the policy term uses the advantages standardized over the update's steps,
/// (A − mean A)/(std A + 10⁻⁸), as PPO's and Stable-Baselines' A2C option does; it makes the step size of plain SGD (the
/// trainer's optimizer, which has no Adam-like per-parameter scaling) independent of the scale of the returns.
/// </summary>
public sealed record ReinforceOptions(double Gamma = 0.99, double ValueCoefficient = 0.5, double EntropyCoefficient = 0.01,
    double LearningRate = 1e-3, int Episodes = 32, bool NormalizeAdvantages = false)
{
    public void Validate()
    {
        if (!(Gamma > 0 && Gamma <= 1)) throw new ShatterException($"the discount γ must be in (0, 1], not {Gamma}.");
        if (!(ValueCoefficient >= 0)) throw new ShatterException($"the value-loss weight must be 0 or positive, not {ValueCoefficient}.");
        if (!(EntropyCoefficient >= 0)) throw new ShatterException($"the entropy bonus must be 0 or positive, not {EntropyCoefficient}.");
        if (!(LearningRate > 0)) throw new ShatterException($"the learning rate must be positive, not {LearningRate}.");
        if (Episodes < 1) throw new ShatterException($"an update needs at least one episode, not {Episodes}.");
    }
}
