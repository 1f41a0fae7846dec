using Orleans.Providers.Streams.Common;
using Orleans.TestingHost;

namespace Analytics.Kafka.Tests;

/// <summary>Questions the tests ask a TestCluster running the Kafka stream provider.</summary>
public static class KafkaStreamCluster
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    /// <summary>Running pulling agents (= partitions read) per live silo.</summary>
    public static async Task<List<int>> RunningAgentsAsync(TestCluster cluster)
    {
        var management = cluster.GrainFactory.GetGrain<IManagementGrain>(0);
        var answers = await management.SendControlCommandToProvider<PersistentStreamProvider>(
            KafkaTestSilo.ProviderName, (int)PersistentStreamProviderCommand.GetNumberRunningAgents);
        return [.. answers.Select(a => (int)a!).Order()];
    }

    public static async Task<int> CountAsync(TestCluster cluster, IEnumerable<string> keys)
    {
        var counts = await Task.WhenAll(keys.Select(k => cluster.GrainFactory.GetGrain<IEventCounterGrain>(k).GetCountAsync()));
        return counts.Sum();
    }

    public static Task<int> WaitForCountAsync(TestCluster cluster, IReadOnlyList<string> keys, int expected) =>
        Poll.UntilAsync(() => CountAsync(cluster, keys), n => n >= expected, Deadline, $"{expected} events counted");

    /// <summary>Waits until the group committed every produced message of every partition.</summary>
    public static Task WaitForCommittedAsync(string topic, int partitions, string groupId) =>
        Poll.UntilAsync(
            () => Task.Run(() => KafkaTestBroker.Offsets(topic, partitions, groupId)),
            offsets => offsets.All(o => o.Committed == o.Produced),
            Deadline,
            "committed offsets equal to produced counts (produced, committed)");
}
