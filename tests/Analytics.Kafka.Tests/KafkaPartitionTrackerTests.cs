using System.Text;
using Analytics.GrainInterfaces.Events;
using Analytics.Kafka.Streams;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Kafka.Tests;

public sealed class KafkaPartitionTrackerTests
{
    private static readonly TopicPartition Partition = new("t", 3);

    private static ConsumeResult<byte[], byte[]> Message(long offset, string value) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(Partition, offset),
        Message = new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes("site|visitor"), Value = Encoding.UTF8.GetBytes(value) },
    };

    private static KafkaPartitionTracker NewTracker(IKafkaStreamMessageConverter? converter = null) =>
        new(Partition, converter ?? new TestEventConverter(), NullLogger.Instance);

    private static List<(string Id, KafkaSequenceToken Token)> Events(KafkaBatchContainer batch) =>
        [.. batch.GetEvents<TestEvent>().Select(e => (e.Item1.Id, Assert.IsType<KafkaSequenceToken>(e.Item2)))];

    [Fact]
    public void A_poll_is_one_container_on_the_partitions_lane_each_event_with_its_messages_offset()
    {
        var tracker = NewTracker();

        var batch = tracker.Accept([Message(40, "evt:a"), Message(41, "garbage"), Message(42, "evt:b")]);

        Assert.NotNull(batch);
        Assert.Equal(StreamId.Create(StreamNames.Lanes, "3"), batch.StreamId);
        Assert.Equal([("a", new KafkaSequenceToken(40)), ("b", new KafkaSequenceToken(42))], Events(batch));
        Assert.Equal(42, batch.SequenceToken.SequenceNumber);
        Assert.Equal(1, tracker.SkippedMessages);
        Assert.Null(tracker.PendingCommit);

        tracker.Delivered([batch]);
        Assert.Equal(new TopicPartitionOffset(Partition, 43), tracker.PendingCommit);
    }

    [Fact]
    public void The_events_of_one_message_share_its_offset_and_are_numbered_within_it()
    {
        var batch = NewTracker(new PairConverter()).Accept([Message(10, "x"), Message(11, "y")]);

        Assert.NotNull(batch);
        Assert.Equal(
            [("x1", new KafkaSequenceToken(10, 0)), ("x2", new KafkaSequenceToken(10, 1)), ("y1", new KafkaSequenceToken(11, 0)), ("y2", new KafkaSequenceToken(11, 1))],
            Events(batch));
    }

    [Fact]
    public void Unreadable_messages_at_the_end_of_a_poll_are_committed_past_with_it()
    {
        var tracker = NewTracker();
        var batch = tracker.Accept([Message(0, "evt:1"), Message(1, "x"), Message(2, "y")]);

        Assert.NotNull(batch);
        Assert.Equal(2, batch.LastOffset);
        tracker.Delivered([batch]);
        Assert.Equal(new Offset(3), tracker.PendingCommit?.Offset);
    }

    [Fact]
    public void An_undelivered_poll_holds_back_the_commit_of_later_ones()
    {
        var tracker = NewTracker();
        var first = tracker.Accept([Message(0, "evt:1"), Message(1, "evt:2")])!;
        var second = tracker.Accept([Message(2, "evt:3")])!;

        tracker.Delivered([second]);
        Assert.Null(tracker.PendingCommit);

        tracker.Delivered([first]);
        Assert.Equal(new Offset(3), tracker.PendingCommit?.Offset);

        tracker.Committed(tracker.PendingCommit!);
        Assert.Null(tracker.PendingCommit);
        Assert.Equal(0, tracker.Checkpoint.InFlight);
    }

    [Fact]
    public void A_poll_of_only_unreadable_messages_still_moves_the_commit()
    {
        var tracker = NewTracker();
        Assert.Null(tracker.Accept([Message(0, "x"), Message(1, "y")]));

        Assert.Equal(2, tracker.SkippedMessages);
        Assert.Equal(new TopicPartitionOffset(Partition, 2), tracker.PendingCommit);
    }

    [Fact]
    public void A_message_the_converter_maps_to_nothing_is_skipped()
    {
        var tracker = NewTracker(new NothingConverter());
        Assert.Null(tracker.Accept([Message(0, "evt:1")]));
        Assert.Equal(1, tracker.SkippedMessages);
        Assert.Equal(new Offset(1), tracker.PendingCommit?.Offset);
    }

    [Fact]
    public void An_empty_poll_is_no_container_and_moves_nothing()
    {
        var tracker = NewTracker();
        Assert.Null(tracker.Accept([]));
        Assert.Null(tracker.PendingCommit);
        Assert.Equal(0, tracker.Checkpoint.InFlight);
    }

    private sealed class NothingConverter : IKafkaStreamMessageConverter
    {
        public IReadOnlyList<object>? Convert(ConsumeResult<byte[], byte[]> message) => null;
    }

    /// <summary>Two events per message: "&lt;value&gt;1" and "&lt;value&gt;2".</summary>
    private sealed class PairConverter : IKafkaStreamMessageConverter
    {
        public IReadOnlyList<object>? Convert(ConsumeResult<byte[], byte[]> message)
        {
            var value = Encoding.UTF8.GetString(message.Message.Value);
            return [new TestEvent(value + "1"), new TestEvent(value + "2")];
        }
    }
}
