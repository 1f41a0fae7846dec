namespace Analytics.Cql;

/// <summary>Start-up shared by the Cassandra grain storage and the raw event log.</summary>
public static class CqlSessions
{
    /// <summary>
    /// Connects and, when <paramref name="tables"/> is given, creates the keyspace (with <paramref name="replication"/>)
    /// and runs each CREATE TABLE IF NOT EXISTS; a session whose schema could not be created is disposed, not returned.
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
                await session.ExecuteAsync(new CqlStatement($"CREATE KEYSPACE IF NOT EXISTS \"{keyspace}\" WITH replication = {replication}")
                { IsIdempotent = true }, cancellationToken).ConfigureAwait(false);
                foreach (var table in tables)
                {
                    await session.ExecuteAsync(new CqlStatement(table) { IsIdempotent = true }, cancellationToken).ConfigureAwait(false);
                }
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
