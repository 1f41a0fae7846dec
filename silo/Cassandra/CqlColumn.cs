using Analytics.Silo.Cassandra.Protocol;

namespace Analytics.Silo.Cassandra;

/// <summary>A result column or a bind variable of a prepared statement.</summary>
public sealed record CqlColumn(string Keyspace, string Table, string Name, CqlType Type);
