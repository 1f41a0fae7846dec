using System.Runtime.CompilerServices;
using Analytics.Cql;
using Analytics.GrainInterfaces.Storage;

namespace Analytics.Cassandra.Storage;

/// <summary>A store's requests, with Cassandra out of reach (after the session's retries) reported as <see cref="StorageUnavailableException"/>.</summary>
internal static class CassandraCalls
{
    public static async Task<CqlRowSet> ExecuteAsync(ICqlSession session, string store, CqlStatement statement, CancellationToken cancellationToken)
    {
        try
        {
            return await session.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (CassandraUnavailable.Is(ex))
        {
            throw Unavailable(store, ex);
        }
    }

    public static async Task ExecuteBatchAsync(ICqlSession session, string store, CqlBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            await session.ExecuteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (CassandraUnavailable.Is(ex))
        {
            throw Unavailable(store, ex);
        }
    }

    /// <summary>Every row of a query, page after page.</summary>
    public static async IAsyncEnumerable<CqlRow> QueryAsync(ICqlSession session, string store, CqlStatement statement, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var rows = session.QueryAllAsync(statement, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await rows.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (Exception ex) when (CassandraUnavailable.Is(ex))
            {
                throw Unavailable(store, ex);
            }

            yield return rows.Current;
        }
    }

    private static StorageUnavailableException Unavailable(string store, Exception ex) =>
        new($"The Cassandra {store} is unavailable: {(ex.InnerException ?? ex).Message}");
}
