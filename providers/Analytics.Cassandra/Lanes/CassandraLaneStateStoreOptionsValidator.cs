using Analytics.Cassandra.Storage;
using Analytics.Cql;

namespace Analytics.Cassandra.Lanes;

/// <summary>Fails silo start on unusable lane store settings.</summary>
public sealed class CassandraLaneStateStoreOptionsValidator(CassandraLaneStateStoreOptions options) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        var errors = Validate(options).ToList();
        if (errors.Count > 0)
        {
            throw new OrleansConfigurationException($"Invalid configuration for the Cassandra lane store: {string.Join(" ", errors)}");
        }
    }

    public static IEnumerable<string> Validate(CassandraLaneStateStoreOptions options)
    {
        foreach (var error in CassandraSchemaValidation.Validate(options.Client, options.Keyspace, options.Replication, options.PartsTable, options.ErasedTable))
        {
            yield return error;
        }
        if (options.MaxBatchBytes is < 1024 or > CassandraLaneStateStoreOptions.MaxBatchBytesLimit)
        {
            yield return $"MaxBatchBytes must be between 1024 and {CassandraLaneStateStoreOptions.MaxBatchBytesLimit} bytes.";
        }
        if (options.ReadPageSize is < 1 or > 1000)
        {
            yield return "ReadPageSize must be between 1 and 1000 parts.";
        }
        if ((long)options.ReadPageSize * options.MaxBatchBytes > CassandraLaneStateStoreOptions.MaxPageBytes)
        {
            yield return $"ReadPageSize × MaxBatchBytes (a page of parts) must be at most {CassandraLaneStateStoreOptions.MaxPageBytes} bytes.";
        }
        if (options.WriteConsistency is CqlConsistency.Serial or CqlConsistency.LocalSerial)
        {
            yield return "WriteConsistency must be a non-serial level.";
        }
    }
}
