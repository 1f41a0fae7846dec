namespace Analytics.Silo.Cassandra.Errors;

/// <summary>Replicas did not acknowledge a write in time; it may or may not have been applied (0x1100).</summary>
public sealed class CqlWriteTimeoutException(string message, CqlConsistency consistency, int received, int blockFor, string writeType)
    : CqlException(CqlErrorCode.WriteTimeout, message)
{
    public CqlConsistency Consistency { get; } = consistency;
    public int Received { get; } = received;
    public int BlockFor { get; } = blockFor;

    /// <summary>SIMPLE, BATCH, UNLOGGED_BATCH, COUNTER, BATCH_LOG or CAS.</summary>
    public string WriteType { get; } = writeType;
}
