using Orleans.Runtime;
using Orleans.Streams;

namespace Analytics.Kafka.Streams;

/// <summary>
/// One Orleans queue per Kafka partition: the queue's numeric id is the partition number. Queues sit
/// evenly spaced on the hash ring, for a consistent-ring balancer should someone configure one.
/// Messages already carry their partition, so <see cref="GetQueueForStream"/> only matters to
/// callers that ask Orleans where a stream lives.
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

    public QueueId GetQueueForStream(StreamId streamId) => _queues[(uint)streamId.GetHashCode() % (uint)_queues.Length];

    public IEnumerable<QueueId> GetQueuesForRange(IRingRange range) =>
        _queues.Where(queue => range.InRange(queue.GetUniformHashCode()));
}
