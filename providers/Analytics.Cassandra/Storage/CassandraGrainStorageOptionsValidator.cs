using Analytics.Cql;

namespace Analytics.Cassandra.Storage;

/// <summary>Fails silo start on unusable storage settings, naming the provider.</summary>
public sealed class CassandraGrainStorageOptionsValidator(CassandraGrainStorageOptions options, string name) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        var errors = Validate(options).ToList();
        if (errors.Count > 0)
        {
            throw new OrleansConfigurationException(
                $"Invalid configuration for Cassandra grain storage '{name}': {string.Join(" ", errors)}");
        }
    }

    public static IEnumerable<string> Validate(CassandraGrainStorageOptions options)
    {
        foreach (var error in CassandraSchemaValidation.Validate(options.Client, options.Keyspace, options.Replication, options.Table))
        {
            yield return error;
        }
        if (options.WriteConsistency is CqlConsistency.Serial or CqlConsistency.LocalSerial or CqlConsistency.Any)
        {
            yield return "WriteConsistency must be a non-serial level other than Any (lightweight transactions reject Any).";
        }
        if (options.SerialConsistency is not (CqlConsistency.Serial or CqlConsistency.LocalSerial))
        {
            yield return "SerialConsistency must be Serial or LocalSerial.";
        }
    }
}
