namespace Analytics.Cql.Errors;

/// <summary>Not enough replicas were alive; the request was not executed (0x1000).</summary>
[GenerateSerializer, Alias("Analytics.Cql.CqlUnavailableException")]
public sealed class CqlUnavailableException(string message, CqlConsistency consistency, int required, int alive)
    : CqlException(CqlErrorCode.Unavailable, message)
{
    [Id(0)]
    public CqlConsistency Consistency { get; } = consistency;
    [Id(1)]
    public int Required { get; } = required;
    [Id(2)]
    public int Alive { get; } = alive;
}
