namespace Shatter;

/// <summary>
/// Marks a <see cref="Training.TrainConfig"/> option added after run identities were first handed out, with the
/// value under which a run computes exactly what it computed before the option existed. The run identity
/// (<see cref="Experiments.RunIdentity"/>) leaves the option out while it holds that value, so adding an option
/// does not change the identity of any existing run. Keep <paramref name="value"/> fixed when the option's
/// default changes later: it records the old behaviour, not the current default.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class IdentityNeutralAttribute(object? value) : Attribute
{
    public object? Value { get; } = value;
}
