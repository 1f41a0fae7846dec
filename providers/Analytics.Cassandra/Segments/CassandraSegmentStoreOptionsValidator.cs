using Analytics.Cassandra.Storage;
using Analytics.Cql;

namespace Analytics.Cassandra.Segments;

/// <summary>Fails silo start on unusable segment store settings.</summary>
public sealed class CassandraSegmentStoreOptionsValidator(CassandraSegmentStoreOptions options) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        var errors = Validate(options).ToList();
        if (errors.Count > 0)
        {
            throw new OrleansConfigurationException($"Invalid configuration for the Cassandra segment store: {string.Join(" ", errors)}");
        }
    }

    public static IEnumerable<string> Validate(CassandraSegmentStoreOptions options)
    {
        foreach (var error in CassandraSchemaValidation.Validate(options.Client, options.Keyspace, options.Replication,
            options.ChunksTable, options.BatchesTable, options.DaysTable))
        {
            yield return error;
        }
        if (options.ChunkSize is < 1024 or > CassandraSegmentStoreOptions.MaxChunkSize)
        {
            yield return $"ChunkSize must be between 1024 and {CassandraSegmentStoreOptions.MaxChunkSize} bytes (1 MiB per cell at most).";
        }
        if (options.WriteParallelism is < 1 or > 64)
        {
            yield return "WriteParallelism must be between 1 and 64.";
        }
        if (options.WriteConsistency is CqlConsistency.Serial or CqlConsistency.LocalSerial)
        {
            yield return "WriteConsistency must be a non-serial level.";
        }
    }
}
