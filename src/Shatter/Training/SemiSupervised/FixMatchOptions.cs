namespace Shatter.Training.SemiSupervised;

/// <summary>
/// FixMatch's knobs (Sohn et al., NeurIPS 2020; defaults of google-research/fixmatch's fixmatch.py: confidence 0.95,
/// uratio 7, wu 1): <see cref="Threshold"/> τ, the least top probability of the weak view for its class to become the
/// target; <see cref="UnlabelledRatio"/> μ, unlabelled images per labelled one in a step; <see cref="UnlabelledWeight"/>
/// λ_u, the unlabelled loss's weight.
/// </summary>
public sealed record FixMatchOptions(double Threshold = 0.95, int UnlabelledRatio = 7, double UnlabelledWeight = 1)
{
    public void Validate()
    {
        if (!(Threshold >= 0 && Threshold <= 1)) throw new ShatterException($"the confidence threshold τ must be in [0, 1], not {Threshold}.");
        if (UnlabelledRatio < 1) throw new ShatterException($"μ (unlabelled per labelled) must be at least 1, not {UnlabelledRatio}.");
        if (!(UnlabelledWeight >= 0)) throw new ShatterException($"λ_u must be 0 or positive, not {UnlabelledWeight}.");
    }
}
