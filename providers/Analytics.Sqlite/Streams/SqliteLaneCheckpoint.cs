namespace Analytics.Sqlite.Streams;

/// <summary>
/// Which log sequence of one lane may be checkpointed: every row at or below it is delivered. Containers are read in the
/// order of their first row and group a visitor's rows of one pull, so rows of different containers interleave; a row
/// below the first row of the oldest undelivered container can only belong to an older, delivered one. Deliveries can be
/// reported out of order, and an undelivered container holds the checkpoint back so a restart reads it again.
/// </summary>
public sealed class SqliteLaneCheckpoint(long committed)
{
    private readonly Queue<long> _outstanding = new();
    private readonly HashSet<long> _reading = [];
    private readonly HashSet<long> _done = [];
    private long _committed = committed;

    /// <summary>The last row read from the lane, delivered or not: where the next read starts after.</summary>
    public long LastRead { get; private set; } = committed;

    /// <summary>Records one pull: the first rows of its containers, in increasing order, and the last row it read.</summary>
    public void Read(IEnumerable<long> firstSeqs, long lastSeq)
    {
        foreach (var first in firstSeqs)
        {
            if (first <= LastRead)
            {
                throw new ArgumentOutOfRangeException(nameof(firstSeqs), first, $"Sequences must increase; last read was {LastRead}.");
            }

            _outstanding.Enqueue(first);
            _reading.Add(first);
        }

        LastRead = Math.Max(LastRead, lastSeq);
    }

    /// <summary>Marks the container starting at <paramref name="firstSeq"/> delivered. Containers not read here are ignored.</summary>
    public void Done(long firstSeq)
    {
        if (!_reading.Remove(firstSeq))
        {
            return;
        }

        _done.Add(firstSeq);
        while (_outstanding.TryPeek(out var oldest) && _done.Remove(oldest))
        {
            _outstanding.Dequeue();
        }
    }

    /// <summary>Containers read and not yet delivered.</summary>
    public int InFlight => _reading.Count;

    /// <summary>The sequence to checkpoint, when it is ahead of the last checkpoint written.</summary>
    public long? PendingCommit
    {
        get
        {
            var position = _outstanding.TryPeek(out var oldest) ? oldest - 1 : LastRead;
            return position > _committed ? position : null;
        }
    }

    /// <summary>Records that <paramref name="seq"/> is written, so it is not written again.</summary>
    public void Committed(long seq) => _committed = Math.Max(_committed, seq);
}
