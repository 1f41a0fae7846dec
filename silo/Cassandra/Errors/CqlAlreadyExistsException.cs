namespace Analytics.Silo.Cassandra.Errors;

/// <summary>A CREATE hit an existing keyspace or table (0x2400); Table is empty for a keyspace.</summary>
public sealed class CqlAlreadyExistsException(string message, string keyspace, string table)
    : CqlException(CqlErrorCode.AlreadyExists, message)
{
    public string Keyspace { get; } = keyspace;
    public string Table { get; } = table;
}
