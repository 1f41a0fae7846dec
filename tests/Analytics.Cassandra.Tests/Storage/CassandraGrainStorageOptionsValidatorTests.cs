using Analytics.Cassandra.Storage;
using Analytics.Cql;

namespace Analytics.Cassandra.Tests.Storage;

public sealed class CassandraGrainStorageOptionsValidatorTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        new CassandraGrainStorageOptionsValidator(new CassandraGrainStorageOptions(), "default").ValidateConfiguration();
    }

    [Fact]
    public void Unsafe_names_and_bad_levels_fail_at_start_naming_the_provider()
    {
        var options = new CassandraGrainStorageOptions
        {
            Keyspace = "ks; DROP KEYSPACE x",
            Replication = "{'class': 'SimpleStrategy'}; DROP",
            WriteConsistency = CqlConsistency.Serial,
            SerialConsistency = CqlConsistency.Quorum,
            Client = new CassandraClientOptions { Keyspace = "ks", ContactPoints = [] },
        };

        var error = Assert.Throws<OrleansConfigurationException>(() => new CassandraGrainStorageOptionsValidator(options, "grains").ValidateConfiguration());

        Assert.Contains("'grains'", error.Message, StringComparison.Ordinal);
        Assert.Equal(6, CassandraGrainStorageOptionsValidator.Validate(options).Count());
    }
}
