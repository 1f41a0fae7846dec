using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace Analytics.Kafka.Tests;

public sealed class KafkaStreamDeliveryTests(ITestOutputHelper output)
{
    private const int Partitions = 8;

    [Fact]
    public async Task Delivers_each_poll_as_one_batch_commits_after_delivery_and_a_restarted_silo_resumes_from_the_commit()
    {
        if (!ServiceEndpoints.KafkaAvailable()) return;
        var topic = KafkaTestBroker.NewTopicName("delivery");
        var group = $"silo-{Guid.NewGuid():N}";
        await KafkaTestBroker.CreateTopicAsync(topic, Partitions);
        var keys = Enumerable.Range(0, 24).Select(i => $"site{i % 3}|visitor{i}").ToList();
        using var producer = TestProducers.For(topic);

        await TestProducers.ProduceEventsAsync(producer, keys, "first", 240);
        // Unreadable messages must not wedge their partitions: skipped, and committed past.
        await producer.ProduceAsync(keys[0], Encoding.UTF8.GetBytes("not an event"), CancellationToken.None);
        await producer.ProduceAsync(keys[5], Encoding.UTF8.GetBytes("{}"), CancellationToken.None);

        var clock = Stopwatch.StartNew();
        var first = KafkaTestSilo.Build(topic, group, Partitions, silos: 1);
        await first.DeployAsync();
        output.WriteLine($"first silo up in {clock.ElapsedMilliseconds} ms");
        try
        {
            await KafkaStreamCluster.WaitForCountAsync(first, Partitions, "first", 240);
            output.WriteLine($"240 events counted after {clock.ElapsedMilliseconds} ms");
            await KafkaStreamCluster.WaitForCommittedAsync(topic, Partitions, group);
            output.WriteLine($"all committed after {clock.ElapsedMilliseconds} ms");
            Assert.Equal(242, KafkaTestBroker.Offsets(topic, Partitions, group).Sum(o => o.Committed));
            // Everything is committed, so nothing more can arrive: the count is exact, not merely reached.
            var counts = await KafkaStreamCluster.CountAsync(first, Partitions, "first");
            output.WriteLine($"the backlog of 242 messages reached the lanes in {counts.Batches} batch calls");
            Assert.Equal(new LaneCounts(240, 0, counts.Batches, 0), counts);
            // One call per poll, not per message: a partition's backlog arrives in far fewer calls than it has events.
            Assert.InRange(counts.Batches, 1, 120);
        }
        finally
        {
            await first.StopAllSilosAsync();
            await first.DisposeAsync();
        }

        // A new cluster has empty grain state: any event of the first run read again would show up here.
        await TestProducers.ProduceEventsAsync(producer, keys, "second", 120);
        clock.Restart();
        var second = KafkaTestSilo.Build(topic, group, Partitions, silos: 1);
        await second.DeployAsync();
        output.WriteLine($"restarted silo up in {clock.ElapsedMilliseconds} ms");
        try
        {
            await KafkaStreamCluster.WaitForCountAsync(second, Partitions, "second", 120);
            output.WriteLine($"120 new events counted after {clock.ElapsedMilliseconds} ms");
            await KafkaStreamCluster.WaitForCommittedAsync(topic, Partitions, group);
            output.WriteLine($"all committed after {clock.ElapsedMilliseconds} ms");
            var counts = await KafkaStreamCluster.CountAsync(second, Partitions, "");
            Assert.Equal((120, 0, 0), (counts.Events, counts.Duplicates, counts.OutOfOrder));
        }
        finally
        {
            await second.StopAllSilosAsync();
            await second.DisposeAsync();
        }
    }
}
