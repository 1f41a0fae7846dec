using Orleans.Runtime;
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
        foreach (var error in CassandraClientOptionsValidator.Validate(options.Client))
        {
            yield return $"Client: {error}";
        }
        if (options.Client.Keyspace is not null)
        {
            yield return "Client.Keyspace must be unset; set Keyspace instead (it may not exist before the provider creates it).";
        }
        if (!CqlIdentifier.IsValid(options.Keyspace) || !CqlIdentifier.IsValid(options.Table))
        {
            yield return "Keyspace and Table must be plain identifiers (letters, digits, underscore; at most 48).";
        }
        var replication = options.Replication.Trim();
        if (!replication.StartsWith('{') || !replication.EndsWith('}') || replication.Contains(';', StringComparison.Ordinal))
        {
            yield return "Replication must be a CQL map literal such as {'class': 'SimpleStrategy', 'replication_factor': 1}.";
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
