namespace Shatter.Training.SemiSupervised;

/// <summary>
/// Lee's pseudo-label weight schedule (ICML 2013 workshop, "Pseudo-label", eq. 16): α(t) = 0 for t &lt; T₁, rising
/// linearly to α_f at T₂, then α_f; the paper's values α_f = 3, T₁ = 100, T₂ = 600 (epochs, without pre-training).
/// t is the caller's clock (epochs, or fractional epochs).
/// </summary>
public sealed record PseudoLabelOptions(double FinalWeight = 3, double RampStart = 100, double RampEnd = 600)
{
    public void Validate()
    {
        if (!(FinalWeight >= 0)) throw new ShatterException($"α_f must be 0 or positive, not {FinalWeight}.");
        if (!(RampStart >= 0 && RampEnd > RampStart))
            throw new ShatterException($"the pseudo-label ramp needs 0 ≤ T₁ < T₂, not T₁ = {RampStart}, T₂ = {RampEnd}.");
    }
}
