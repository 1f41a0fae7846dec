using Analytics.Cql;

namespace Analytics.Cassandra.Tests.Support;

/// <summary>
/// One real Cassandra for the integration tests: probes it once, creates a keyspace unique to this run
/// and drops it at the end.
/// </summary>
public sealed class CassandraFixture : IAsyncLifetime
{
    /// <summary>CASSANDRA_CONTACT_POINT, else 127.0.0.1 on CASSANDRA_PORT (the port scripts/services/cassandra.sh uses), else 9042.</summary>
    public string ContactPoint { get; } = Environment.GetEnvironmentVariable("CASSANDRA_CONTACT_POINT") is { Length: > 0 } point
        ? point
        : $"127.0.0.1:{(Environment.GetEnvironmentVariable("CASSANDRA_PORT") is { Length: > 0 } port ? port : "9042")}";

    public string Keyspace { get; } = $"test_{Guid.NewGuid():N}"[..20];

    public string? Unavailable { get; private set; }

    public CqlSession Session { get; private set; } = null!;

    public CassandraClientOptions ClientOptions(int poolSize = 2) => new()
    {
        ContactPoints = [ContactPoint],
        PoolSize = poolSize,
        ConnectTimeout = TimeSpan.FromSeconds(3),
        RequestTimeout = TimeSpan.FromSeconds(15),
    };

    public async Task InitializeAsync()
    {
        Session = new CqlSession(ClientOptions());
        try
        {
            await Session.ExecuteAsync(new CqlStatement(
                $"CREATE KEYSPACE {Keyspace} WITH replication = {{'class': 'SimpleStrategy', 'replication_factor': 1}}"));
        }
        catch (Exception e)
        {
            Unavailable = $"Cassandra at {ContactPoint} is not reachable ({e.GetType().Name}: {e.Message}).";
        }
    }

    public async Task DisposeAsync()
    {
        if (Unavailable is null)
        {
            await Session.ExecuteAsync(new CqlStatement($"DROP KEYSPACE IF EXISTS {Keyspace}") { IsIdempotent = true });
        }
        await Session.DisposeAsync();
    }
}
