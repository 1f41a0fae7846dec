namespace Analytics.Kafka.Tests;

public sealed class KafkaStreamBalancingTests
{
    private const int Partitions = 8;

    [Fact]
    public async Task Two_silos_split_the_partitions_and_the_survivor_takes_them_all()
    {
        if (!ServiceEndpoints.KafkaAvailable()) return;
        var topic = KafkaTestBroker.NewTopicName("balancing");
        var group = $"silo-{Guid.NewGuid():N}";
        await KafkaTestBroker.CreateTopicAsync(topic, Partitions);
        using var producer = TestProducers.For(topic);

        var cluster = KafkaTestSilo.Build(topic, group, Partitions, silos: 2);
        await cluster.DeployAsync();
        try
        {
            await Poll.UntilAsync(
                () => KafkaStreamCluster.RunningAgentsAsync(cluster),
                agents => agents.SequenceEqual([Partitions / 2, Partitions / 2]),
                KafkaStreamCluster.Deadline,
                "partitions split evenly between the two silos");

            var keys = Enumerable.Range(0, 16).Select(i => $"site|visitor{i}").ToList();
            await TestProducers.ProduceEventsAsync(producer, keys, "before", 160);
            await KafkaStreamCluster.WaitForCountAsync(cluster, Partitions, "before", 160);

            await cluster.StopSiloAsync(cluster.SecondarySilos[0]);
            await Poll.UntilAsync(
                () => KafkaStreamCluster.RunningAgentsAsync(cluster),
                agents => agents.SequenceEqual([Partitions]),
                KafkaStreamCluster.Deadline,
                "the remaining silo reading every partition");

            // The moved lanes' memory state may have left with the stopped silo; events produced after the move may not.
            await TestProducers.ProduceEventsAsync(producer, keys, "after", 80);
            await KafkaStreamCluster.WaitForCountAsync(cluster, Partitions, "after", 80);
            await KafkaStreamCluster.WaitForCommittedAsync(topic, Partitions, group);
            var after = await KafkaStreamCluster.CountAsync(cluster, Partitions, "after");
            Assert.Equal((80, 0, 0), (after.Events, after.Duplicates, after.OutOfOrder));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
