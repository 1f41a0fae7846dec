using System.Globalization;

namespace Analytics.Testing;

/// <summary>
/// One test's own slice of the shared servers: an Orleans cluster id, a Kafka topic and consumer group, a Cassandra keyspace.
/// </summary>
public sealed record ClusterSettings
{
    // The broker of scripts/services.sh is Kafka 0.9: no ApiVersion request, and the client must be told its version.
    public const bool KafkaApiVersionRequest = false;
    public const string KafkaBrokerVersionFallback = "0.9.0.1";

    public required string ClusterId { get; init; }
    public required string Topic { get; init; }
    public required int PartitionCount { get; init; }
    public required string ConsumerGroupId { get; init; }
    public required string Keyspace { get; init; }
    public string KafkaBootstrap { get; init; } = ServiceEndpoints.KafkaBootstrap;
    public string Redis { get; init; } = ServiceEndpoints.Redis;
    public string CassandraContactPoint { get; init; } = ServiceEndpoints.Cassandra;

    /// <summary>Fresh names, unique per call (the topic still has to be created: <see cref="KafkaTestBroker.CreateTopicAsync"/>).</summary>
    public static ClusterSettings Unique(string prefix, int partitionCount)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        return new ClusterSettings
        {
            ClusterId = $"{prefix}-{id}",
            Topic = $"{prefix}-{id}",
            PartitionCount = partitionCount,
            ConsumerGroupId = $"{prefix}-{id}",
            Keyspace = $"t_{id}",
        };
    }

    /// <summary>The settings silo and gateway share: the cluster and the Kafka topic.</summary>
    internal Dictionary<string, string> Common() => new(StringComparer.Ordinal)
    {
        ["Analytics__Cluster__ClusterId"] = ClusterId,
        ["Analytics__Cluster__ServiceId"] = ClusterId,
        ["Analytics__Cluster__RedisConnectionString"] = Redis,
        ["Analytics__Kafka__BootstrapServers"] = KafkaBootstrap,
        ["Analytics__Kafka__Topic"] = Topic,
        ["Analytics__Kafka__ApiVersionRequest"] = KafkaApiVersionRequest.ToString(CultureInfo.InvariantCulture).ToLowerInvariant(),
        ["Analytics__Kafka__BrokerVersionFallback"] = KafkaBrokerVersionFallback,
    };
}
