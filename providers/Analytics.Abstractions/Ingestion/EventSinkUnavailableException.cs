namespace Analytics.Abstractions.Ingestion;

/// <summary>The event store cannot take events right now; the gateway answers 503 with Retry-After, never 202.</summary>
public sealed class EventSinkUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
