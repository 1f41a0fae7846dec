namespace Analytics.Cql.Errors;

/// <summary>Replicas did not answer a read in time (0x1200).</summary>
[GenerateSerializer, Alias("Analytics.Cql.CqlReadTimeoutException")]
public sealed class CqlReadTimeoutException(string message, CqlConsistency consistency, int received, int blockFor, bool dataPresent)
    : CqlException(CqlErrorCode.ReadTimeout, message)
{
    [Id(0)]
    public CqlConsistency Consistency { get; } = consistency;
    [Id(1)]
    public int Received { get; } = received;
    [Id(2)]
    public int BlockFor { get; } = blockFor;
    [Id(3)]
    public bool DataPresent { get; } = dataPresent;
}
