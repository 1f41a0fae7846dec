namespace Analytics.Silo.Cassandra.Errors;

/// <summary>Not enough replicas were alive; the request was not executed (0x1000).</summary>
public sealed class CqlUnavailableException(string message, CqlConsistency consistency, int required, int alive)
    : CqlException(CqlErrorCode.Unavailable, message)
{
    public CqlConsistency Consistency { get; } = consistency;
    public int Required { get; } = required;
    public int Alive { get; } = alive;
}
