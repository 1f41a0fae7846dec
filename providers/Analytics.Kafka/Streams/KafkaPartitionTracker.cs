using System.Diagnostics.Metrics;
using Analytics.Abstractions.Streams;
using Analytics.GrainInterfaces.Events;
using Confluent.Kafka;
using Orleans.Streams;

namespace Analytics.Kafka.Streams;

/// <summary>
/// The broker-free half of a partition receiver: turns one poll's messages into one batch container for the partition's
/// lane through the application's converter, and keeps the partition's checkpoint, where the container stands for every
/// offset the poll read. A message the converter cannot read is logged, counted and passed over with its poll, so it never
/// wedges the partition.
/// </summary>
public sealed partial class KafkaPartitionTracker(TopicPartition partition, IKafkaStreamMessageConverter converter, ILogger logger)
{
    public const string MeterName = "Analytics.Kafka.Streams";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> SkippedCounter =
        Meter.CreateCounter<long>("analytics.kafka.stream.skipped_messages", description: "Kafka messages the stream converter could not read.");

    public TopicPartition Partition { get; } = partition;

    /// <summary>Kept in offsets: a poll is known by the last offset it read.</summary>
    public PullCheckpoint Checkpoint { get; } = new(committed: -1);

    public long SkippedMessages { get; private set; }

    /// <summary>Returns the container of one poll's messages (in offset order), or null when the poll held no event.</summary>
    public KafkaBatchContainer? Accept(IReadOnlyList<ConsumeResult<byte[], byte[]>> messages)
    {
        if (messages.Count == 0)
        {
            return null;
        }

        var last = messages[^1].Offset.Value;
        Checkpoint.Read(last);
        var events = new List<object>(messages.Count);
        var offsets = new List<long>(messages.Count);
        foreach (var message in messages)
        {
            foreach (var item in Convert(message))
            {
                events.Add(item);
                offsets.Add(message.Offset.Value);
            }
        }

        if (events.Count == 0)
        {
            // Never delivered, so never reported: done at once, or a partition of nothing else would not commit.
            Checkpoint.Done(last);
            return null;
        }

        return new KafkaBatchContainer(StreamId.Create(StreamNames.Lanes, LaneStreams.Key(Partition.Partition.Value)), [.. events], [.. offsets], new KafkaSequenceToken(last));
    }

    /// <summary>Marks containers the pulling agent reports as delivered to all consumers.</summary>
    public void Delivered(IEnumerable<IBatchContainer> batches)
    {
        foreach (var batch in batches)
        {
            if (batch is KafkaBatchContainer container)
            {
                Checkpoint.Done(container.LastOffset);
            }
        }
    }

    /// <summary>The offset to commit (the next to read), when the delivered run of polls moved since the last commit.</summary>
    public TopicPartitionOffset? PendingCommit =>
        Checkpoint.PendingCommit is { } last ? new TopicPartitionOffset(Partition, new Offset(last + 1)) : null;

    /// <summary>Records that <paramref name="position"/> reached the broker, so it is not committed again.</summary>
    public void Committed(TopicPartitionOffset position) => Checkpoint.Committed(position.Offset.Value - 1);

    private IReadOnlyList<object> Convert(ConsumeResult<byte[], byte[]> message)
    {
        try
        {
            if (converter.Convert(message) is { Count: > 0 } events)
            {
                return events;
            }

            Skip(message.Offset.Value, null, "the converter found no events");
        }
        catch (Exception ex)
        {
            Skip(message.Offset.Value, ex, "the converter failed");
        }

        return [];
    }

    private void Skip(long offset, Exception? error, string reason)
    {
        SkippedMessages++;
        SkippedCounter.Add(1, new KeyValuePair<string, object?>("topic", Partition.Topic));
        LogSkipped(error, Partition.Topic, Partition.Partition.Value, offset, reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipping Kafka message {Topic}[{Partition}]@{Offset}: {Reason}")]
    private partial void LogSkipped(Exception? error, string topic, int partition, long offset, string reason);
}
