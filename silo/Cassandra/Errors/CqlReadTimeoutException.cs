namespace Analytics.Silo.Cassandra.Errors;

/// <summary>Replicas did not answer a read in time (0x1200).</summary>
public sealed class CqlReadTimeoutException(string message, CqlConsistency consistency, int received, int blockFor, bool dataPresent)
    : CqlException(CqlErrorCode.ReadTimeout, message)
{
    public CqlConsistency Consistency { get; } = consistency;
    public int Received { get; } = received;
    public int BlockFor { get; } = blockFor;
    public bool DataPresent { get; } = dataPresent;
}
