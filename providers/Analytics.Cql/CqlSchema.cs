using Analytics.Cql.Errors;

namespace Analytics.Cql;

/// <summary>
/// Creates a keyspace and its tables when processes that need them start together. Cassandra (2.1 at least) checks
/// IF NOT EXISTS before it serializes a schema change, so two CREATE TABLEs of one table can both pass: the second
/// fails with "Column family ID mismatch" after its schema rows replaced the first's table id on disk, while the node
/// keeps serving the first id, whose data it then no longer opens after a restart. So the tables are created one
/// process at a time, under a lease taken with a lightweight transaction, and the schema is awaited to agree.
/// </summary>
public static class CqlSchema
{
    /// <summary>
    /// The keyspace of the leases, apart from every keyspace they guard: a lost race on a table leaves its keyspace
    /// unable to take any later schema change until the node restarts, so the leases' own table, which can be raced,
    /// must not live where the guarded tables are created.
    /// </summary>
    public const string LeaseKeyspace = "analytics_schema";

    private const string Leases = $"\"{LeaseKeyspace}\".leases";

    /// <summary>How long a lease lasts if its holder dies before releasing it.</summary>
    public static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan AgreementTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Takes <paramref name="keyspace"/>'s schema lease, then creates the keyspace (with <paramref name="replication"/>)
    /// if missing and runs each of <paramref name="tables"/> (CREATE TABLE IF NOT EXISTS).
    /// </summary>
    public static async Task EnsureAsync(
        ICqlSession session, string keyspace, string replication, IReadOnlyList<string> tables, ILogger logger, CancellationToken cancellationToken)
    {
        // Keyspaces carry no id, so creating one twice at once is harmless.
        await session.ExecuteAsync(Ddl($"CREATE KEYSPACE IF NOT EXISTS \"{LeaseKeyspace}\" WITH replication = {replication}"), cancellationToken)
            .ConfigureAwait(false);
        // The leases' table can be created twice at once: it only ever holds leases that expire, so a node that opens it
        // empty after a restart loses nothing, and the creation that lost the race is simply repeated.
        await ExecuteAsync(session, Ddl($"CREATE TABLE IF NOT EXISTS {Leases} (keyspace_name text PRIMARY KEY, owner uuid)"), cancellationToken)
            .ConfigureAwait(false);

        var owner = Guid.NewGuid();
        await AcquireAsync(session, keyspace, owner, logger, cancellationToken).ConfigureAwait(false);
        try
        {
            await session.ExecuteAsync(Ddl($"CREATE KEYSPACE IF NOT EXISTS \"{keyspace}\" WITH replication = {replication}"), cancellationToken)
                .ConfigureAwait(false);
            foreach (var table in tables)
            {
                await session.ExecuteAsync(Ddl(table), cancellationToken).ConfigureAwait(false);
            }
            await AwaitAgreementAsync(session, logger, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                await session.ExecuteAsync(new CqlStatement($"DELETE FROM {Leases} WHERE keyspace_name = ? IF owner = ?", keyspace, owner), CancellationToken.None)
                    .ConfigureAwait(false);
            }
            catch (CqlException e)
            {
                // Not fatal: the lease expires on its own.
                logger.LogWarning(e, "The schema lease of {Keyspace} was not released; it expires within {Lease}", keyspace, LeaseTime);
            }
        }
    }

    private static async Task AcquireAsync(ICqlSession session, string keyspace, Guid owner, ILogger logger, CancellationToken cancellationToken)
    {
        var take = new CqlStatement($"INSERT INTO {Leases} (keyspace_name, owner) VALUES (?, ?) IF NOT EXISTS USING TTL {(int)LeaseTime.TotalSeconds}", keyspace, owner);
        var deadline = DateTime.UtcNow + 2 * LeaseTime;
        while (true)
        {
            var result = await session.ExecuteAsync(take, cancellationToken).ConfigureAwait(false);
            if (result.WasApplied)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The schema lease of {keyspace} stayed held by {result.Rows[0]["owner"]} for {2 * LeaseTime.TotalSeconds:0} s.");
            }
            logger.LogDebug("Waiting for the schema lease of {Keyspace}, held by {Owner}", keyspace, result.Rows[0]["owner"]);
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until every node reports the schema version the coordinator has, as drivers do after DDL.</summary>
    private static async Task AwaitAgreementAsync(ICqlSession session, ILogger logger, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + AgreementTimeout;
        while (true)
        {
            var local = (await session.ExecuteAsync(new CqlStatement("SELECT schema_version FROM system.local WHERE key = 'local'"), cancellationToken)
                .ConfigureAwait(false)).Rows.Single()["schema_version"];
            var peers = await session.ExecuteAsync(new CqlStatement("SELECT schema_version FROM system.peers"), cancellationToken).ConfigureAwait(false);
            if (peers.Rows.All(p => Equals(p["schema_version"], local)))
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                logger.LogWarning("The cluster's nodes did not agree on the schema within {Timeout}; going on", AgreementTimeout);
                return;
            }
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(ICqlSession session, CqlStatement ddl, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await session.ExecuteAsync(ddl, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (CqlServerErrorException e) when (attempt < 3 && e.Message.Contains("ID mismatch", StringComparison.Ordinal))
            {
                // Another process created it a moment before; IF NOT EXISTS now sees it.
            }
        }
    }

    private static CqlStatement Ddl(string cql) => new(cql) { IsIdempotent = true };
}
