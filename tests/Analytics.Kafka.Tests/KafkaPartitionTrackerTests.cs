using System.Text;
using Analytics.Kafka.Streams;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Kafka.Tests;

public sealed class KafkaPartitionTrackerTests
{
    private static readonly TopicPartition Partition = new("t", 3);

    private static ConsumeResult<byte[], byte[]> Message(long offset, string key, string value) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(Partition, offset),
        Message = new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = Encoding.UTF8.GetBytes(value) },
    };

    private static KafkaPartitionTracker NewTracker() => new(Partition, new TestEventConverter(), NullLogger.Instance);

    [Fact]
    public void Converts_a_message_into_a_container_for_its_stream_at_its_offset()
    {
        var tracker = NewTracker();

        var batch = tracker.Accept(Message(42, "site|visitor", "evt:a"));

        Assert.NotNull(batch);
        Assert.Equal(StreamId.Create(TestEventConverter.Namespace, "site|visitor"), batch.StreamId);
        Assert.Equal(42, batch.SequenceToken.SequenceNumber);
        var (item, token) = Assert.Single(batch.GetEvents<TestEvent>());
        Assert.Equal("a", item.Id);
        Assert.Equal(new KafkaSequenceToken(42, 0), token);
    }

    [Fact]
    public void An_unreadable_message_is_skipped_counted_and_committed_past()
    {
        var tracker = NewTracker();
        var first = tracker.Accept(Message(0, "s|v", "evt:1"));
        var bad = tracker.Accept(Message(1, "s|v", "garbage"));
        var third = tracker.Accept(Message(2, "s|v", "evt:3"));

        Assert.Null(bad);
        Assert.Equal(1, tracker.SkippedMessages);
        Assert.Null(tracker.PendingCommit);

        tracker.Delivered([first!]);
        Assert.Equal(new Offset(2), tracker.PendingCommit?.Offset);

        tracker.Delivered([third!]);
        Assert.Equal(new Offset(3), tracker.PendingCommit?.Offset);
    }

    [Fact]
    public void A_partition_of_only_unreadable_messages_still_moves_its_commit()
    {
        var tracker = NewTracker();
        Assert.Null(tracker.Accept(Message(0, "s|v", "x")));
        Assert.Null(tracker.Accept(Message(1, "s|v", "y")));

        Assert.Equal(2, tracker.SkippedMessages);
        Assert.Equal(new TopicPartitionOffset(Partition, 2), tracker.PendingCommit);
    }

    [Fact]
    public void A_message_the_converter_maps_to_nothing_is_skipped()
    {
        var tracker = new KafkaPartitionTracker(Partition, new NothingConverter(), NullLogger.Instance);
        Assert.Null(tracker.Accept(Message(0, "s|v", "evt:1")));
        Assert.Equal(1, tracker.SkippedMessages);
        Assert.Equal(new Offset(1), tracker.PendingCommit?.Offset);
    }

    private sealed class NothingConverter : IKafkaStreamMessageConverter
    {
        public KafkaStreamMessage? Convert(ConsumeResult<byte[], byte[]> message) => null;
    }
}
