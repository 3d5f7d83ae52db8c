namespace Shatter.Measures.Attractors;

/// <summary>
/// The identity-vs-constant test of one map on new images: the mean Pearson correlation of f(x_new) with x_new
/// (<see cref="WithInput"/>: 1 for the identity) and with the one training image (<see cref="WithTraining"/>: 1 for the
/// constant map to it), over <see cref="Images"/> new images. <see cref="Closer"/>: "identity" or "constant", whichever
/// correlation is higher (ties: "identity").
/// </summary>
public sealed record IdentityTest(double WithInput, double WithTraining, int Images)
{
    public string Closer => WithInput >= WithTraining ? "identity" : "constant";
}
