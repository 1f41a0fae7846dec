namespace Analytics.Cql;

/// <summary>Start-up shared by the Cassandra grain storage and the raw event log.</summary>
public static class CqlSessions
{
    /// <summary>
    /// Connects and, when <paramref name="tables"/> is given, creates the keyspace (with <paramref name="replication"/>)
    /// and its tables (see <see cref="CqlSchema"/>); a session whose schema could not be created is disposed, not returned.
    /// </summary>
    public static async Task<CqlSession> OpenAsync(
        CassandraClientOptions client, ILoggerFactory loggerFactory, string keyspace, string replication,
        IReadOnlyList<string>? tables, CancellationToken cancellationToken)
    {
        var session = new CqlSession(client, loggerFactory.CreateLogger<CqlSession>());
        try
        {
            if (tables is not null)
            {
                await CqlSchema.EnsureAsync(session, keyspace, replication, tables, loggerFactory.CreateLogger(typeof(CqlSchema)), cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return session;
    }
}
