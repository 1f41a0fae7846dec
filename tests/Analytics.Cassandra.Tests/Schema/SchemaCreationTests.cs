using Analytics.Cassandra.Tests.Support;
using Analytics.Cql;
using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Cassandra.Tests.Schema;

/// <summary>
/// Silos of a cluster start together and each creates the schema it needs. Cassandra 2.1 does not serialize concurrent
/// CREATE TABLE IF NOT EXISTS: the loser's schema rows overwrite the winner's table id on disk while the node keeps the
/// winner's in memory ("Column family ID mismatch"), so the silo fails to start and the node would lose the table's data
/// at its next restart.
/// </summary>
[Collection(CassandraCollection.Name)]
public sealed class SchemaCreationTests(CassandraFixture fixture)
{
    private const string Replication = "{'class': 'SimpleStrategy', 'replication_factor': 1}";

    [Fact]
    public async Task Silos_starting_together_on_a_fresh_keyspace_all_open_and_each_table_keeps_the_id_the_node_serves()
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }
        var keyspace = $"race_{Guid.NewGuid():N}"[..20];
        string[] tables = [.. Enumerable.Range(0, 4).Select(i => $"CREATE TABLE IF NOT EXISTS \"{keyspace}\".t{i} (k int PRIMARY KEY, v text)")];
        try
        {
            // Ten starts at once, twice over (the second round finds everything made).
            for (var round = 0; round < 2; round++)
            {
                var sessions = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() =>
                    CqlSessions.OpenAsync(fixture.ClientOptions(poolSize: 1), NullLoggerFactory.Instance, keyspace, Replication, tables, CancellationToken.None))));
                foreach (var (session, i) in sessions.Select((s, i) => (s, i)))
                {
                    await session.ExecuteAsync(new CqlStatement($"INSERT INTO \"{keyspace}\".t{i % tables.Length} (k, v) VALUES (?, ?)", round * 100 + i, "x"));
                    await session.DisposeAsync();
                }
            }

            // What the node persisted for each table must be the id it serves: after a lost race they differ and the
            // table's data lives under a directory the node will not open after a restart.
            var ids = await fixture.Session.ExecuteAsync(new CqlStatement(
                "SELECT columnfamily_name, cf_id FROM system.schema_columnfamilies WHERE keyspace_name = ?", keyspace));
            var data = ids.Rows.ToList();
            Assert.Equal(tables.Length, data.Count);
            var dataDirectories = Environment.GetEnvironmentVariable("ANALYTICS_SERVICES_DIR") is { Length: > 0 } services
                ? Path.Combine(services, "cassandra", "data", keyspace)
                : null;
            foreach (var row in data)
            {
                var table = row.GetString("columnfamily_name")!;
                var id = row.GetGuid("cf_id").ToString("N");
                var count = (await fixture.Session.ExecuteAsync(new CqlStatement($"SELECT COUNT(*) AS n FROM \"{keyspace}\".{table}"))).Rows.Single().GetInt64("n");
                Assert.True(count > 0, $"{table} holds the rows written to it");
                if (dataDirectories is not null && Directory.Exists(dataDirectories))
                {
                    Assert.True(Directory.Exists(Path.Combine(dataDirectories, $"{table}-{id}")),
                        $"{table}'s persisted id {id} names a data directory the node made: {string.Join(", ", Directory.GetDirectories(dataDirectories).Select(Path.GetFileName))}");
                }
            }
        }
        finally
        {
            await fixture.Session.ExecuteAsync(new CqlStatement($"DROP KEYSPACE IF EXISTS \"{keyspace}\"") { IsIdempotent = true });
        }
    }
}
