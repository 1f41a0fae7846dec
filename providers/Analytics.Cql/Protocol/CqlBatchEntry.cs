namespace Analytics.Cql.Protocol;

/// <summary>One statement of a BATCH request: sent by its prepared id when it has one, else as CQL text.</summary>
internal sealed record CqlBatchEntry(string Cql, byte[]? PreparedId, IReadOnlyList<byte[]?> Values);
