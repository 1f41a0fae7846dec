using Analytics.GrainInterfaces.Events;
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

    /// <summary>The counts of every partition's lane, added up.</summary>
    public static async Task<LaneCounts> CountAsync(TestCluster cluster, int partitions, string idPrefix)
    {
        var lanes = await Task.WhenAll(Enumerable.Range(0, partitions).Select(p =>
            cluster.GrainFactory.GetGrain<IEventCounterGrain>(LaneStreams.Key(p)).GetCountsAsync(idPrefix)));
        return new LaneCounts(lanes.Sum(l => l.Events), lanes.Sum(l => l.Duplicates), lanes.Sum(l => l.Batches), lanes.Sum(l => l.OutOfOrder));
    }

    public static Task<LaneCounts> WaitForCountAsync(TestCluster cluster, int partitions, string idPrefix, int expected) =>
        Poll.UntilAsync(() => CountAsync(cluster, partitions, idPrefix), n => n.Events >= expected, Deadline, $"{expected} '{idPrefix}' events counted");

    /// <summary>Waits until the group committed every produced message of every partition.</summary>
    public static Task WaitForCommittedAsync(string topic, int partitions, string groupId) =>
        Poll.UntilAsync(
            () => Task.Run(() => KafkaTestBroker.Offsets(topic, partitions, groupId)),
            offsets => offsets.All(o => o.Committed == o.Produced),
            Deadline,
            "committed offsets equal to produced counts (produced, committed)");
}
