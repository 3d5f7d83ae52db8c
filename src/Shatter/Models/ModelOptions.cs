namespace Shatter.Models;

/// <summary>
/// Options that change a model without changing its name or parameter count.
/// <see cref="Dropout"/>: drop probability on the fully connected hidden layers (MLP, AlexNet), on the
/// pooled features before the classifier (Inception), between the two convolutions of each block
/// (wide ResNet, as in Zagoruyko and Komodakis); 0 = off (the paper's randomization tests).
/// <see cref="Regression"/>: the model predicts one real value, so a single output is allowed.
/// <see cref="TorchScriptSha256"/>: for a <c>torchscript:PATH</c> model, the SHA-256 its file must have (the one the run
/// was planned or trained with; null: any), so a changed file is never trained or measured as the run's model.
/// </summary>
public sealed record ModelOptions(double Dropout = 0, bool Regression = false, string? TorchScriptSha256 = null);
