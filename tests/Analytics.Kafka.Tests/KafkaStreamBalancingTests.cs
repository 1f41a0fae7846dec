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

            var before = Enumerable.Range(0, 16).Select(i => $"site|before{i}").ToList();
            await TestProducers.ProduceEventsAsync(producer, before, "before", 160);
            Assert.Equal(160, await KafkaStreamCluster.WaitForCountAsync(cluster, before, 160));

            await cluster.StopSiloAsync(cluster.SecondarySilos[0]);
            await Poll.UntilAsync(
                () => KafkaStreamCluster.RunningAgentsAsync(cluster),
                agents => agents.SequenceEqual([Partitions]),
                KafkaStreamCluster.Deadline,
                "the remaining silo reading every partition");

            // New streams, so their grains' state did not live on the stopped silo.
            var after = Enumerable.Range(0, 16).Select(i => $"site|after{i}").ToList();
            await TestProducers.ProduceEventsAsync(producer, after, "after", 80);
            Assert.Equal(80, await KafkaStreamCluster.WaitForCountAsync(cluster, after, 80));
            await KafkaStreamCluster.WaitForCommittedAsync(topic, Partitions, group);
            Assert.Equal(80, await KafkaStreamCluster.CountAsync(cluster, after));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
