namespace Analytics.Abstractions.Streams;

/// <summary>
/// Which position of one ordered queue (a Kafka partition, a lane of the event log) a stream receiver may checkpoint. Each
/// pull is one batch container covering every position after the previous pull up to its own last one, skipped positions
/// included, so a pull is known by its last position. The checkpoint is the last position of the longest run of pulls, in
/// read order, that are all delivered. Deliveries can be reported out of order; an undelivered pull holds the checkpoint
/// back, so a restart reads it again.
/// </summary>
public sealed class PullCheckpoint(long committed)
{
    private readonly Queue<long> _outstanding = new();
    private readonly HashSet<long> _reading = [];
    private readonly HashSet<long> _done = [];
    private long _delivered = committed;
    private long _committed = committed;

    /// <summary>The last position read, delivered or not: where the next pull starts after.</summary>
    public long LastRead { get; private set; } = committed;

    /// <summary>Records a pull that read up to <paramref name="last"/>; pulls must move forward.</summary>
    public void Read(long last)
    {
        if (last <= LastRead)
        {
            throw new ArgumentOutOfRangeException(nameof(last), last, $"Pulls must move forward; last read was {LastRead}.");
        }

        _outstanding.Enqueue(last);
        _reading.Add(last);
        LastRead = last;
    }

    /// <summary>Marks the pull that read up to <paramref name="last"/> delivered (or skipped whole). Pulls not read here are ignored.</summary>
    public void Done(long last)
    {
        if (!_reading.Remove(last))
        {
            return;
        }

        _done.Add(last);
        while (_outstanding.TryPeek(out var oldest) && _done.Remove(oldest))
        {
            _outstanding.Dequeue();
            _delivered = oldest;
        }
    }

    /// <summary>Pulls read and not yet delivered.</summary>
    public int InFlight => _reading.Count;

    /// <summary>The last position of the delivered run, when it is ahead of the last checkpoint written.</summary>
    public long? PendingCommit => _delivered > _committed ? _delivered : null;

    /// <summary>Records that the checkpoint at <paramref name="position"/> is written, so it is not written again.</summary>
    public void Committed(long position) => _committed = Math.Max(_committed, position);
}
