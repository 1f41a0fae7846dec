using Analytics.Cql.Protocol;

namespace Analytics.Cql;

/// <summary>A result column or a bind variable of a prepared statement.</summary>
public sealed record CqlColumn(string Keyspace, string Table, string Name, CqlType Type);
