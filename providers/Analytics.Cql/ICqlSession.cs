namespace Analytics.Cql;

/// <summary>
/// The CQL operations the project needs, small enough that the DataStax driver can stand behind it
/// where that driver is available.
/// </summary>
public interface ICqlSession : IAsyncDisposable
{
    /// <summary>Executes one statement and returns one page of rows (or an empty set for writes and DDL).</summary>
    Task<CqlRowSet> ExecuteAsync(CqlStatement statement, CancellationToken cancellationToken = default);

    /// <summary>Executes statements as one BATCH request; the result is empty unless the batch is conditional.</summary>
    Task<CqlRowSet> ExecuteBatchAsync(CqlBatch batch, CancellationToken cancellationToken = default);

    /// <summary>Prepares a statement (cached per CQL text); re-prepared transparently if a server forgets it.</summary>
    Task<CqlPreparedStatement> PrepareAsync(string cql, CancellationToken cancellationToken = default);

    /// <summary>Every row of a query, fetching page after page with the paging state.</summary>
    IAsyncEnumerable<CqlRow> QueryAllAsync(CqlStatement statement, CancellationToken cancellationToken = default);
}
