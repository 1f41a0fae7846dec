using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;

namespace Analytics.Testing;

/// <summary>
/// The broker from scripts/services.sh up kafka (or a private one): creates fresh topics with the same TopicCommand the
/// script uses (0.9 has no working CreateTopics API) and reads offsets for assertions.
/// </summary>
public static class KafkaTestBroker
{
    // The broker in the services script is 0.9; these are off by default in the provider for modern Kafka.
    public const bool ApiVersionRequest = ClusterSettings.KafkaApiVersionRequest;
    public const string BrokerVersionFallback = ClusterSettings.KafkaBrokerVersionFallback;

    public static string NewTopicName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>Creates the topic through ZooKeeper and waits until every partition has a leader.</summary>
    public static async Task CreateTopicAsync(string topic, int partitions, string? zooKeeper = null, string? bootstrap = null)
    {
        var libs = ServiceEndpoints.KafkaLibs;
        if (!Directory.Exists(libs))
        {
            throw new InvalidOperationException($"Kafka jars not found at {libs}: run `bash scripts/services.sh up kafka`.");
        }

        var start = new ProcessStartInfo("java")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            "-Xmx128m", "-cp", Path.Combine(libs, "*"), "kafka.admin.TopicCommand", "--zookeeper", zooKeeper ?? ServiceEndpoints.ZooKeeper,
            "--create", "--topic", topic, "--partitions", partitions.ToString(CultureInfo.InvariantCulture), "--replication-factor", "1",
        })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start java");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"TopicCommand failed for {topic}: {await output} {await error}");
        }
        // The topic exists in ZooKeeper before every partition has a leader on the broker.
        using var admin = new AdminClientBuilder(ClientConfig(bootstrap)).Build();
        await Poll.UntilAsync(
            () => Task.FromResult(LeadersOf(admin, topic)),
            leaders => leaders == partitions,
            TimeSpan.FromSeconds(30),
            $"leaders for all {partitions} partitions of {topic}");
    }

    public static ClientConfig ClientConfig(string? bootstrap = null) => new()
    {
        BootstrapServers = bootstrap ?? ServiceEndpoints.KafkaBootstrap,
        ApiVersionRequest = ApiVersionRequest,
        BrokerVersionFallback = BrokerVersionFallback,
    };

    /// <summary>Per partition: the high watermark (messages produced, on a fresh topic) and the group's committed offset.</summary>
    public static IReadOnlyList<(long Produced, long Committed)> Offsets(string topic, int partitions, string groupId, string? bootstrap = null)
    {
        var config = new ConsumerConfig(ClientConfig(bootstrap)) { GroupId = groupId, EnableAutoCommit = false };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        var tps = Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)).ToList();
        var committed = consumer.Committed(tps, TimeSpan.FromSeconds(10)).ToDictionary(c => c.Partition.Value, c => c.Offset.IsSpecial ? 0 : c.Offset.Value);
        return tps.Select(tp => (consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value, committed[tp.Partition.Value])).ToList();
    }

    /// <summary>Every message value of the topic, read from the beginning up to the current high watermarks.</summary>
    public static IReadOnlyList<byte[]> ReadAll(string topic, int partitions, string? bootstrap = null)
    {
        var config = new ConsumerConfig(ClientConfig(bootstrap)) { GroupId = "reader-" + Guid.NewGuid().ToString("N"), EnableAutoCommit = false };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        var values = new List<byte[]>();
        for (var p = 0; p < partitions; p++)
        {
            var tp = new TopicPartition(topic, p);
            var high = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value;
            if (high == 0)
            {
                continue;
            }
            consumer.Assign(new TopicPartitionOffset(tp, Offset.Beginning));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (true)
            {
                var result = consumer.Consume(TimeSpan.FromSeconds(1));
                if (result is { IsPartitionEOF: false, Message: not null })
                {
                    values.Add(result.Message.Value);
                    if (result.Offset.Value + 1 >= high)
                    {
                        break;
                    }
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"Reading {tp} up to offset {high} took longer than 30 s.");
                }
            }
            consumer.Unassign();
        }
        return values;
    }

    private static int LeadersOf(IAdminClient admin, string topic)
    {
        try
        {
            var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(5));
            return metadata.Topics.SingleOrDefault(t => t.Topic == topic && t.Error.Code == ErrorCode.NoError)?.Partitions.Count(p => p.Leader >= 0) ?? 0;
        }
        catch (KafkaException)
        {
            return 0;
        }
    }
}
