namespace Analytics.Cql;

/// <summary>A server-side prepared statement: its id, bind variables and result columns.</summary>
public sealed record CqlPreparedStatement(string Cql, byte[] Id, IReadOnlyList<CqlColumn> Variables, IReadOnlyList<CqlColumn> ResultColumns);
