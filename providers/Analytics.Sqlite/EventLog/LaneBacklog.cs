namespace Analytics.Sqlite.EventLog;

/// <summary>
/// Rows of one lane read from the file ahead of its reader. The file has no index by lane (a commit wrote a page of that
/// index per lane, a fifth of the log's writes), so a lane behind its tail reads every lane's rows in log order, and the
/// log hands each lane its own: lanes catching up together read the file once between them, not once each. Holds every
/// row of the lane in (<see cref="_from"/>, <see cref="_to"/>], at most <c>capacity</c>: a lane that stops taking costs
/// no more than that, and reads the file again when it comes back. Used under the log's read lock only.
/// </summary>
internal sealed class LaneBacklog(int capacity)
{
    private readonly Queue<LogRow> _rows = new();

    /// <summary>Every row of the lane after it and up to <see cref="_to"/> is held; -1 while nothing is.</summary>
    private long _from = -1;
    private long _to = -1;

    /// <summary>
    /// The sequence after which the lane's rows of a read of every lane's rows after <paramref name="readFrom"/> would be
    /// kept (those at or below it are held or passed already, and need not be decoded), the lane's reader being at
    /// <paramref name="position"/> (-1: not known); null when none would be: the read neither goes on from where this
    /// backlog ends (with room left) nor starts at or below the position.
    /// </summary>
    public long? KeepsAfter(long readFrom, long position) =>
        position < 0 ? null
        : Extends(readFrom, position) ? (_rows.Count < capacity || _rows.Peek().Seq <= position ? Math.Max(_to, position) : null)
        : position >= readFrom ? position
        : null;

    /// <summary>
    /// Keeps the lane's rows of a read that saw every row after <paramref name="readFrom"/> up to <paramref name="readTo"/>
    /// (the caller checked <see cref="KeepsAfter"/>); <paramref name="rows"/> are the lane's, in order.
    /// </summary>
    public void Keep(long readFrom, long readTo, long position, IReadOnlyList<LogRow> rows)
    {
        if (!Extends(readFrom, position))
        {
            _rows.Clear();
            _from = _to = position;
        }

        // Rows the reader has passed make room: a backlog full of them would take nothing new.
        while (_rows.TryPeek(out var passed) && passed.Seq <= position)
        {
            _rows.Dequeue();
        }

        _from = Math.Max(_from, position);

        foreach (var row in rows)
        {
            if (row.Seq <= _to)
            {
                continue;
            }

            if (_rows.Count == capacity)
            {
                return; // full: held up to the last row kept
            }

            _rows.Enqueue(row);
            _to = row.Seq;
        }

        _to = Math.Max(_to, readTo);
    }

    /// <summary>
    /// Takes up to <paramref name="max"/> rows after <paramref name="after"/> into <paramref name="into"/> when this backlog
    /// holds every row from there, with the position the lane has then been read up to; false when it does not (the
    /// lane must read the file).
    /// </summary>
    public bool TryTake(long after, int max, List<LogRow> into, out long readUpTo)
    {
        readUpTo = after;
        if (_from < 0 || after < _from || after >= _to)
        {
            return false;
        }

        while (_rows.TryPeek(out var row) && row.Seq <= after)
        {
            _rows.Dequeue();
        }

        while (into.Count < max && _rows.TryDequeue(out var row))
        {
            into.Add(row);
        }

        readUpTo = _rows.Count == 0 ? _to : into.Count > 0 ? into[^1].Seq : after;
        _from = readUpTo;
        return true;
    }

    /// <summary>Whether a read from <paramref name="readFrom"/> continues this backlog, which holds the rows after <paramref name="position"/>.</summary>
    private bool Extends(long readFrom, long position) => _from >= 0 && _from <= position && _to >= readFrom;

    /// <summary>Drops the site's rows, deleted from the file too (an erased site's pending events must not be counted).</summary>
    public void RemoveSite(string site)
    {
        var kept = _rows.Where(row => row.Event?.Site != site).ToList();
        if (kept.Count != _rows.Count)
        {
            _rows.Clear();
            kept.ForEach(_rows.Enqueue);
        }
    }
}
