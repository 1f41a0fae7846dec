using Analytics.GrainInterfaces.Events;

namespace Analytics.Sqlite.EventLog;

/// <summary>
/// The latest committed rows of one lane, kept in memory for the lane's reader, which takes them without reading the
/// file back and decoding their envelopes. Holds every row of the lane after <see cref="_after"/> (the log is the file's
/// only writer), at most <c>capacity</c>: a reader that falls further behind reads the file until it catches up. Rows
/// leave when taken, so one reader per lane.
/// </summary>
internal sealed class LaneTail(int capacity, long after)
{
    private readonly Lock _lock = new();
    private readonly Queue<(long Seq, TrackedEvent Event)> _rows = new();
    private long _after = after;

    /// <summary>Called in commit order, so a lane's rows arrive in sequence order.</summary>
    public void Add(long seq, TrackedEvent tracked)
    {
        lock (_lock)
        {
            _rows.Enqueue((seq, tracked));
            if (_rows.Count > capacity)
            {
                _after = _rows.Dequeue().Seq;
            }
        }
    }

    /// <summary>
    /// Takes up to <paramref name="max"/> rows after <paramref name="after"/> into <paramref name="into"/>; false when
    /// rows after <paramref name="after"/> have already left memory (the reader must read the file).
    /// </summary>
    public bool TryTake(long after, int max, List<LogRow> into)
    {
        lock (_lock)
        {
            if (_after > after)
            {
                return false;
            }

            while (_rows.TryPeek(out var row) && row.Seq <= after)
            {
                _after = _rows.Dequeue().Seq; // read from the file before this reader caught up
            }

            while (into.Count < max && _rows.TryDequeue(out var row))
            {
                into.Add(new LogRow(row.Seq, row.Event, null));
                _after = row.Seq;
            }

            return true;
        }
    }

    /// <summary>Whether every row of the lane after <paramref name="after"/> is here (<see cref="TryTake"/> would succeed).</summary>
    public bool Holds(long after)
    {
        lock (_lock)
        {
            return _after <= after;
        }
    }

    /// <summary>Drops the site's rows, deleted from the file too (an erased site's pending events must not be counted).</summary>
    public void RemoveSite(string site)
    {
        lock (_lock)
        {
            var kept = _rows.Where(row => row.Event.Site != site).ToList();
            if (kept.Count != _rows.Count)
            {
                _rows.Clear();
                kept.ForEach(_rows.Enqueue);
            }
        }
    }
}
