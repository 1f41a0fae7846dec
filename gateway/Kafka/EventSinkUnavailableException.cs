namespace Analytics.Gateway.Kafka;

/// <summary>
/// The event sink (Kafka) did not take an event: it stayed unreachable through the retries, or the
/// circuit breaker is open. The caller should answer "try again later" rather than accept the event.
/// </summary>
public sealed class EventSinkUnavailableException : Exception
{
    public EventSinkUnavailableException(string message) : base(message)
    {
    }

    public EventSinkUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
