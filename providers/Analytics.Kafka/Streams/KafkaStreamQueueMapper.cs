using Analytics.GrainInterfaces.Events;
using Orleans.Streams;

namespace Analytics.Kafka.Streams;

/// <summary>
/// One Orleans queue per Kafka partition: the queue's numeric id is the partition number, and the partition's lane stream
/// (<see cref="LaneStreams"/>) lives on it. Queues sit evenly spaced on the hash ring, for a consistent-ring balancer
/// should someone configure one.
/// </summary>
public sealed class KafkaStreamQueueMapper : IConsistentRingStreamQueueMapper
{
    private readonly QueueId[] _queues;

    public KafkaStreamQueueMapper(string providerName, int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        var spacing = (uint)(0x1_0000_0000L / partitionCount);
        _queues = new QueueId[partitionCount];
        for (var partition = 0; partition < partitionCount; partition++)
        {
            _queues[partition] = QueueId.GetQueueId(providerName, (uint)partition, spacing * (uint)partition);
        }
    }

    public static int PartitionOf(QueueId queueId) => (int)queueId.GetNumericId();

    public QueueId QueueOf(int partition) => _queues[partition];

    public IEnumerable<QueueId> GetAllQueues() => _queues;

    public QueueId GetQueueForStream(StreamId streamId) =>
        LaneStreams.TryGetQueue(streamId.GetNamespace(), streamId.GetKeyAsString(), out var partition) && partition < _queues.Length
            ? _queues[partition]
            : throw new ArgumentException($"Stream {streamId} is not the lane of one of the {_queues.Length} partitions (namespace '{StreamNames.Lanes}', key the partition number).", nameof(streamId));

    public IEnumerable<QueueId> GetQueuesForRange(IRingRange range) =>
        _queues.Where(queue => range.InRange(queue.GetUniformHashCode()));
}
