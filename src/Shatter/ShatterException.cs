namespace Shatter;

/// <summary>
/// An error the user can cause and fix: a missing or corrupt file, an impossible option, a malformed
/// spec. Its message is one sentence that names the problem and the fix; the CLI prints it alone,
/// without a stack trace, and exits non-zero.
/// </summary>
public sealed class ShatterException(string message, Exception? inner = null) : Exception(message, inner);
