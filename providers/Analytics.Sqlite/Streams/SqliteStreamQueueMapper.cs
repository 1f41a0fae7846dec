using Analytics.GrainInterfaces.Events;
using Orleans.Streams;

namespace Analytics.Sqlite.Streams;

/// <summary>
/// One Orleans queue per lane of the event log: the queue's numeric id is the lane, and the lane's stream
/// (<see cref="LaneStreams"/>) lives on it. Queues sit evenly spaced on the hash ring for the consistent-ring balancer,
/// which gives the single embedded silo all of them.
/// </summary>
public sealed class SqliteStreamQueueMapper : IConsistentRingStreamQueueMapper
{
    private readonly QueueId[] _queues;

    public SqliteStreamQueueMapper(string providerName, int lanes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);
        var spacing = (uint)(0x1_0000_0000L / lanes);
        _queues = new QueueId[lanes];
        for (var lane = 0; lane < lanes; lane++)
        {
            _queues[lane] = QueueId.GetQueueId(providerName, (uint)lane, spacing * (uint)lane);
        }
    }

    public static int LaneOf(QueueId queueId) => (int)queueId.GetNumericId();

    public IEnumerable<QueueId> GetAllQueues() => _queues;

    public QueueId GetQueueForStream(StreamId streamId) =>
        LaneStreams.TryGetQueue(streamId.GetNamespace(), streamId.GetKeyAsString(), out var lane) && lane < _queues.Length
            ? _queues[lane]
            : throw new ArgumentException($"Stream {streamId} is not the stream of one of the {_queues.Length} lanes (namespace '{StreamNames.Lanes}', key the lane number).", nameof(streamId));

    public IEnumerable<QueueId> GetQueuesForRange(IRingRange range) =>
        _queues.Where(queue => range.InRange(queue.GetUniformHashCode()));
}
