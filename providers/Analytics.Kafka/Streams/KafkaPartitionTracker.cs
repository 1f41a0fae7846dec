using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Analytics.Kafka.Streams;

/// <summary>
/// The broker-free half of a partition receiver: turns consumed messages into batch containers
/// through the application's converter and keeps the partition's checkpoint. A message the
/// converter cannot read is logged, counted and treated as done, so it never wedges the partition.
/// </summary>
public sealed partial class KafkaPartitionTracker(TopicPartition partition, IKafkaStreamMessageConverter converter, ILogger logger)
{
    private static readonly Meter Meter = new("Analytics.Kafka.Streams");
    private static readonly Counter<long> SkippedCounter =
        Meter.CreateCounter<long>("analytics.kafka.stream.skipped_messages", description: "Kafka messages the stream converter could not read.");

    public TopicPartition Partition { get; } = partition;

    public KafkaPartitionCheckpoint Checkpoint { get; } = new();

    public long SkippedMessages { get; private set; }

    /// <summary>Returns the container for <paramref name="message"/>, or null when it was skipped.</summary>
    public KafkaBatchContainer? Accept(ConsumeResult<byte[], byte[]> message)
    {
        var offset = message.Offset.Value;
        Checkpoint.Read(offset);
        KafkaStreamMessage? converted;
        try
        {
            converted = converter.Convert(message);
        }
        catch (Exception ex)
        {
            Skip(offset, ex, "the converter failed");
            return null;
        }
        if (converted is null || converted.Events.Count == 0)
        {
            Skip(offset, null, "the converter found no events");
            return null;
        }
        return new KafkaBatchContainer(converted.StreamId, [.. converted.Events], new KafkaSequenceToken(offset));
    }

    /// <summary>Marks containers the pulling agent reports as delivered to all consumers.</summary>
    public void Delivered(IEnumerable<IBatchContainer> batches)
    {
        foreach (var batch in batches)
        {
            if (batch is KafkaBatchContainer container)
            {
                Checkpoint.Done(container.Offset);
            }
        }
    }

    /// <summary>The offset to commit for this partition, when the done prefix moved since the last commit.</summary>
    public TopicPartitionOffset? PendingCommit =>
        Checkpoint.PendingCommit is { } next ? new TopicPartitionOffset(Partition, new Offset(next)) : null;

    private void Skip(long offset, Exception? error, string reason)
    {
        SkippedMessages++;
        SkippedCounter.Add(1, new KeyValuePair<string, object?>("topic", Partition.Topic));
        LogSkipped(error, Partition.Topic, Partition.Partition.Value, offset, reason);
        Checkpoint.Done(offset);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipping Kafka message {Topic}[{Partition}]@{Offset}: {Reason}")]
    private partial void LogSkipped(Exception? error, string topic, int partition, long offset, string reason);
}
