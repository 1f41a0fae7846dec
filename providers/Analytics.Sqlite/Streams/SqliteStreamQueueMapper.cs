using Analytics.Sqlite.EventLog;
using Orleans.Runtime;
using Orleans.Streams;

namespace Analytics.Sqlite.Streams;

/// <summary>
/// One Orleans queue per lane of the event log: the queue's numeric id is the lane. A stream (a visitor key) maps to the
/// lane the log appends its events to, so Orleans and the log agree on where a stream lives. Queues sit evenly spaced on
/// the hash ring for the consistent-ring balancer, which gives the single embedded silo all of them.
/// </summary>
public sealed class SqliteStreamQueueMapper : IConsistentRingStreamQueueMapper
{
    private readonly SqliteEventLog _log;
    private readonly QueueId[] _queues;

    public SqliteStreamQueueMapper(string providerName, SqliteEventLog log)
    {
        _log = log;
        var spacing = (uint)(0x1_0000_0000L / log.Lanes);
        _queues = new QueueId[log.Lanes];
        for (var lane = 0; lane < log.Lanes; lane++)
        {
            _queues[lane] = QueueId.GetQueueId(providerName, (uint)lane, spacing * (uint)lane);
        }
    }

    public static int LaneOf(QueueId queueId) => (int)queueId.GetNumericId();

    public IEnumerable<QueueId> GetAllQueues() => _queues;

    public QueueId GetQueueForStream(StreamId streamId) => _queues[_log.LaneOf(streamId.GetKeyAsString())];

    public IEnumerable<QueueId> GetQueuesForRange(IRingRange range) =>
        _queues.Where(queue => range.InRange(queue.GetUniformHashCode()));
}
