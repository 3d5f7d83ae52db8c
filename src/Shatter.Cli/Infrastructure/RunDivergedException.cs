namespace Shatter.Cli.Infrastructure;

/// <summary>
/// A training run that diverged: its files are all written (it is a finished result), but it trained nothing.
/// <see cref="ShatterApp"/> prints the message as the one error sentence and exits with <see cref="ShatterApp.Diverged"/>.
/// </summary>
public sealed class RunDivergedException(string message) : Exception(message);
