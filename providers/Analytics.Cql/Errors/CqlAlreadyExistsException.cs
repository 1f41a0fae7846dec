namespace Analytics.Cql.Errors;

/// <summary>A CREATE hit an existing keyspace or table (0x2400); Table is empty for a keyspace.</summary>
[GenerateSerializer, Alias("Analytics.Cql.CqlAlreadyExistsException")]
public sealed class CqlAlreadyExistsException(string message, string keyspace, string table)
    : CqlException(CqlErrorCode.AlreadyExists, message)
{
    [Id(0)]
    public string Keyspace { get; } = keyspace;
    [Id(1)]
    public string Table { get; } = table;
}
