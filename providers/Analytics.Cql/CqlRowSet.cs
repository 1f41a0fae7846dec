namespace Analytics.Cql;

/// <summary>One page of a result; <see cref="PagingState"/> is non-null while more pages exist.</summary>
public sealed class CqlRowSet(CqlResultKind kind, IReadOnlyList<CqlColumn> columns, IReadOnlyList<CqlRow> rows, byte[]? pagingState, string? keyspace = null)
{
    public CqlResultKind Kind { get; } = kind;
    public IReadOnlyList<CqlColumn> Columns { get; } = columns;
    public IReadOnlyList<CqlRow> Rows { get; } = rows;
    public byte[]? PagingState { get; } = pagingState;

    /// <summary>The keyspace a USE statement switched to.</summary>
    public string? Keyspace { get; } = keyspace;

    public bool HasMorePages => PagingState is not null;

    /// <summary>
    /// Whether a lightweight transaction (… IF …) was applied: the server's <c>[applied]</c> column.
    /// When not applied, the row also carries the current values of the checked columns.
    /// </summary>
    public bool WasApplied => Rows.Count == 0
        ? throw new InvalidOperationException("The result has no [applied] column; it was not a conditional statement.")
        : Rows[0].GetBoolean("[applied]");
}
