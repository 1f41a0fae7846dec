using Analytics.Cql;

namespace Analytics.Cassandra.Health;

public static class HealthChecksBuilderCassandraExtensions
{
    /// <summary>
    /// The "cassandra" check. Unhealthy when Cassandra is away: a silo that cannot activate or save grains is not ready.
    /// </summary>
    public static IHealthChecksBuilder AddCassandraHealthCheck(this IHealthChecksBuilder checks, CassandraClientOptions client) =>
        checks.AddCheck("cassandra", new CassandraHealthCheck(client));
}
