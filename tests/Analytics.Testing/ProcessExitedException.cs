namespace Analytics.Testing;

/// <summary>The process ended while a test waited for it to become healthy; not retried by <see cref="Poll"/>.</summary>
public sealed class ProcessExitedException(string message) : Exception(message);
