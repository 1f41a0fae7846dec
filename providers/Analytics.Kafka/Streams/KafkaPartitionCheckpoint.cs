namespace Analytics.Kafka.Streams;

/// <summary>
/// Which offset of one partition may be committed: the one after the longest run of read messages
/// that are all done (delivered to every consumer, or skipped). Deliveries can be reported out of
/// order, and an undelivered message holds the commit back so a restart reads it again.
/// </summary>
public sealed class KafkaPartitionCheckpoint
{
    private readonly Queue<long> _outstanding = new();
    private readonly HashSet<long> _reading = [];
    private readonly HashSet<long> _done = [];
    private long _lastRead = -1;
    private long _position = -1;
    private long _committed = -1;

    /// <summary>Records a message read from the partition; offsets must increase.</summary>
    public void Read(long offset)
    {
        if (offset <= _lastRead)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Offsets must increase; last read was {_lastRead}.");
        }
        _outstanding.Enqueue(offset);
        _reading.Add(offset);
        _lastRead = offset;
    }

    /// <summary>Marks a read message as delivered or skipped. Offsets not read here are ignored.</summary>
    public void Done(long offset)
    {
        if (!_reading.Remove(offset))
        {
            return;
        }
        _done.Add(offset);
        while (_outstanding.TryPeek(out var oldest) && _done.Remove(oldest))
        {
            _outstanding.Dequeue();
            _position = oldest + 1;
        }
    }

    /// <summary>Messages read and not yet done.</summary>
    public int InFlight => _reading.Count;

    /// <summary>The next offset to read after the done prefix, when it is ahead of the last commit.</summary>
    public long? PendingCommit => _position > _committed ? _position : null;

    /// <summary>Records that <paramref name="position"/> reached the broker, so it is not committed again.</summary>
    public void Committed(long position) => _committed = Math.Max(_committed, position);
}
