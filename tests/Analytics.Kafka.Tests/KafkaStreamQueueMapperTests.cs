using Analytics.GrainInterfaces.Events;
using Analytics.Kafka.Streams;
using Orleans.Streams;

namespace Analytics.Kafka.Tests;

public sealed class KafkaStreamQueueMapperTests
{
    [Fact]
    public void One_queue_per_partition_and_back()
    {
        var mapper = new KafkaStreamQueueMapper("kafka", 8);

        var queues = mapper.GetAllQueues().ToList();

        Assert.Equal(8, queues.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 8), queues.Select(KafkaStreamQueueMapper.PartitionOf));
        for (var partition = 0; partition < 8; partition++)
        {
            Assert.Equal(partition, KafkaStreamQueueMapper.PartitionOf(mapper.QueueOf(partition)));
        }
    }

    [Fact]
    public void Queues_are_spread_evenly_over_the_ring()
    {
        var mapper = new KafkaStreamQueueMapper("kafka", 4);
        var hashes = mapper.GetAllQueues().Select(q => q.GetUniformHashCode()).ToList();
        Assert.Equal([0u, 0x4000_0000u, 0x8000_0000u, 0xC000_0000u], hashes);
    }

    [Fact]
    public void A_lane_stream_lives_on_its_partitions_queue()
    {
        var mapper = new KafkaStreamQueueMapper("kafka", 8);
        for (var partition = 0; partition < 8; partition++)
        {
            var queue = mapper.GetQueueForStream(StreamId.Create(StreamNames.Lanes, LaneStreams.Key(partition)));
            Assert.Equal(mapper.QueueOf(partition), queue);
        }
    }

    [Theory]
    [InlineData(StreamNames.Lanes, "8")]
    [InlineData(StreamNames.Lanes, "+1")]
    [InlineData("events", "site|visitor")]
    public void Any_other_stream_is_refused_with_a_reason(string streamNamespace, string key)
    {
        var mapper = new KafkaStreamQueueMapper("kafka", 8);
        var error = Assert.Throws<ArgumentException>(() => mapper.GetQueueForStream(StreamId.Create(streamNamespace, key)));
        Assert.Contains("8 partitions", error.Message);
    }

    [Fact]
    public void Rejects_a_topic_without_partitions() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new KafkaStreamQueueMapper("kafka", 0));

    [Fact]
    public void Adapter_refuses_to_produce_with_a_reason()
    {
        var adapter = new KafkaQueueAdapter("kafka", new KafkaStreamOptions(), new TestEventConverter(), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        Assert.Equal(StreamProviderDirection.ReadOnly, adapter.Direction);
        var error = Assert.Throws<NotSupportedException>(() =>
            adapter.QueueMessageBatchAsync(StreamId.Create("events", "k"), [new TestEvent("1")], null, null).GetAwaiter().GetResult());
        Assert.Contains("Kafka producer", error.Message);
    }
}
