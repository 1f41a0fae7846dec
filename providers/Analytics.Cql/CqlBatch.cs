namespace Analytics.Cql;

/// <summary>
/// Statements sent as one BATCH request (writes only: no results, no paging). Each statement is sent prepared or as
/// text, as its <see cref="CqlStatement.Prepare"/> says; their own consistency and paging settings are not used.
/// Set <see cref="IsIdempotent"/> only when applying the whole batch twice has the same effect as once.
/// </summary>
public sealed record CqlBatch(IReadOnlyList<CqlStatement> Statements)
{
    public CqlBatchType Type { get; init; } = CqlBatchType.Logged;

    /// <summary>Null uses the session's default consistency.</summary>
    public CqlConsistency? Consistency { get; init; }

    public bool IsIdempotent { get; init; }
}
