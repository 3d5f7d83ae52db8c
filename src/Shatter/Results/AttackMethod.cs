namespace Shatter.Results;

/// <summary>L∞ attacks: one signed-gradient step (Goodfellow et al. 2015) or projected gradient descent (Madry et al. 2018).</summary>
public enum AttackMethod
{
    Fgsm,
    Pgd,
}
