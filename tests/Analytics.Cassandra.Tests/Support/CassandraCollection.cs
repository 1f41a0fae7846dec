namespace Analytics.Cassandra.Tests.Support;

/// <summary>
/// The integration tests share one server and one keyspace, and one of them restarts the server,
/// so they run one at a time (unit tests still run in parallel beside them).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CassandraCollection : ICollectionFixture<CassandraFixture>
{
    public const string Name = "cassandra";
}
