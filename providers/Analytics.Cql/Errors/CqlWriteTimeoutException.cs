namespace Analytics.Cql.Errors;

/// <summary>Replicas did not acknowledge a write in time; it may or may not have been applied (0x1100).</summary>
[GenerateSerializer, Alias("Analytics.Cql.CqlWriteTimeoutException")]
public sealed class CqlWriteTimeoutException(string message, CqlConsistency consistency, int received, int blockFor, string writeType)
    : CqlException(CqlErrorCode.WriteTimeout, message)
{
    [Id(0)]
    public CqlConsistency Consistency { get; } = consistency;
    [Id(1)]
    public int Received { get; } = received;
    [Id(2)]
    public int BlockFor { get; } = blockFor;

    /// <summary>SIMPLE, BATCH, UNLOGGED_BATCH, COUNTER, BATCH_LOG or CAS.</summary>
    [Id(3)]
    public string WriteType { get; } = writeType;
}
