namespace Shatter.Results;

/// <summary>attack-&lt;method&gt;.json: what was attacked, how, and accuracy against ε on the test and training sets.</summary>
public sealed record AttackReport
{
    public string RunDir { get; init; } = "";
    public string Model { get; init; } = "";
    public string Dataset { get; init; } = "";
    public double LabelNoise { get; init; }
    public string LabelNoiseMode { get; init; } = "uniform";
    public string Inputs { get; init; } = "true";
    public AttackMethod Method { get; init; }
    public int Steps { get; init; }
    /// <summary>PGD's step: 2.5·ε/steps; FGSM's: ε.</summary>
    public string StepSize { get; init; } = "";
    /// <summary>ε is in pixel units before the run's whitening, which the attack differentiates through.</summary>
    public bool Whitened { get; init; }
    /// <summary>Adversarial pixels clamped to [0, 1] (not for Gaussian inputs).</summary>
    public bool PixelBox { get; init; }
    /// <summary>Training examples are scored against the labels the model was trained on (corrupted where they were).</summary>
    public IReadOnlyList<AttackPoint> Points { get; init; } = [];
    public double Seconds { get; init; }
    public int Threads { get; init; }
}
