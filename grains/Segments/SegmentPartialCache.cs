using System.Security.Cryptography;
using Analytics.GrainInterfaces.Query;
using Orleans.Serialization;

namespace Analytics.Grains.Segments;

/// <summary>
/// Partial answers of sealed segments, per query shape, in this silo's memory, bounded by <see cref="CapacityBytes"/>.
/// A sealed segment never changes, so its partial for a shape is the same every time: a repeated question (another
/// page, another order, the dashboard asking again after the result cache expired) merges cached partials instead of
/// scanning. Kept beside the decoded segments (<see cref="SealedSegments"/>), not in the shared hot cache: a partial is
/// only worth keeping where its segment is scanned, and it is large and cheap to lose.
/// <para>
/// What goes first when it is full is chosen by GreedyDual-Size (Cao and Irani): each partial is worth the rows a new
/// scan would read per byte it holds, plus the worth of the last one dropped when it was last used (so what is not
/// asked again ages out); the least worth goes, ties least recently used first. Plain LRU let one month of a
/// many-group breakdown (tens of MB of partials, a few rows per byte) push out every day's totals (16 KB each, ten
/// rows per byte) and the next dashboard load scanned them all again.
/// </para>
/// <para>
/// A newcomer only pushes out partials used no more often than itself (TinyLFU's admission, Einziger et al.): uses are
/// counted per key, kept for a while after a key leaves or is turned away, and halved every ten lookups per partial
/// held, so that what stopped being asked loses its standing. Without it a few questions asked once (a filter tried
/// in the dashboard, a month of a breakdown by source and entry page) flushed the partials of the questions asked
/// again and again, and each of those scanned its month anew.
/// </para>
/// <para>
/// The key is the decoded segment's <see cref="Segment.Instance"/> and a digest of the query without what only orders
/// or pages the merged rows (order, limit, offset), with its range cut to the rows the segment can hold. A re-aggregated
/// or reopened segment is new bytes, decoded as a new instance, so its old partials are never found again (they age
/// out); settings the scan reads (goals, time zone, revenue rates) are part of the query, so a changed goal is another key.
/// </para>
/// </summary>
public sealed class SegmentPartialCache(Serializer serializer, long capacityBytes)
{
    /// <summary>Keys not held whose uses are remembered, at most (a few MB of digests); beyond it they are forgotten.</summary>
    private const int HistoryLimit = 1 << 14;

    private readonly Lock _lock = new();
    private readonly Dictionary<(long Instance, string Shape), Entry> _entries = [];

    /// <summary>Uses of keys not held (dropped, or turned away), so a key asked again comes back with its standing.</summary>
    private readonly Dictionary<(long Instance, string Shape), int> _history = [];
    /// <summary>Least worth first (<see cref="Entry.Worth"/>, then <see cref="Entry.Used"/>).</summary>
    private readonly SortedSet<Entry> _byWorth = new(Comparer<Entry>.Create(static (a, b) =>
        a.Worth != b.Worth ? a.Worth.CompareTo(b.Worth) : a.Used.CompareTo(b.Used)));
    /// <summary>GreedyDual-Size's inflation: the worth of the last partial dropped.</summary>
    private double _floor;
    private long _uses;
    private long _lookupsSinceAging;
    private long _bytes;
    private long _hits;
    private long _misses;

    public long CapacityBytes => capacityBytes;

    /// <summary>Bytes held (an estimate of the partials' heap size).</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>
    /// <paramref name="segment"/>'s partial answer to <paramref name="query"/>: cached, or scanned and kept. Callers
    /// only read it (merging into another partial leaves it unchanged).
    /// </summary>
    public SegmentPartial Scan(Segment segment, StatsQuery query)
    {
        if (capacityBytes <= 0)
        {
            return segment.Scan(query);
        }

        var key = (segment.Instance, Shape(segment, query));
        lock (_lock)
        {
            Age();
            if (_entries.TryGetValue(key, out var hit))
            {
                _byWorth.Remove(hit);
                Touch(hit);
                hit.Uses++;
                _byWorth.Add(hit);
                Interlocked.Increment(ref _hits);
                return hit.Partial;
            }
        }

        Interlocked.Increment(ref _misses);
        var partial = segment.Scan(query);
        var bytes = partial.EstimatedBytes;
        if (bytes > capacityBytes / 4)
        {
            return partial; // one answer must not flush the others out
        }

        lock (_lock)
        {
            if (!_entries.ContainsKey(key))
            {
                // A rescan reads the segment's events and sessions.
                var entry = new Entry(key, segment.Key.Site, partial, bytes, (double)(segment.EventCount + segment.SessionCount + 1) / bytes)
                {
                    Uses = (_history.Remove(key, out var before) ? before : 0) + 1,
                };
                Touch(entry);
                if (MakeRoom(entry))
                {
                    _entries.Add(key, entry);
                    _byWorth.Add(entry);
                    _bytes += bytes;
                }
                else
                {
                    Remember(key, entry.Uses);
                }
            }
        }

        return partial;
    }

    /// <summary>Drops the partials of <paramref name="site"/> (its data was erased: nothing of it may stay in memory).</summary>
    public void ForgetSite(string site)
    {
        lock (_lock)
        {
            foreach (var entry in _entries.Values.Where(e => string.Equals(e.Site, site, StringComparison.Ordinal)).ToList())
            {
                Drop(entry);
            }
        }
    }

    /// <summary>
    /// Drops the least worth of the partials used no more often than <paramref name="newcomer"/> until it fits; false
    /// (nothing dropped) when those cannot make room.
    /// </summary>
    private bool MakeRoom(Entry newcomer)
    {
        var needed = _bytes + newcomer.Bytes - capacityBytes;
        if (needed <= 0)
        {
            return true;
        }

        var victims = new List<Entry>();
        foreach (var entry in _byWorth)
        {
            if (entry.Uses > newcomer.Uses)
            {
                continue;
            }

            victims.Add(entry);
            needed -= entry.Bytes;
            if (needed <= 0)
            {
                break;
            }
        }

        if (needed > 0)
        {
            return false;
        }

        foreach (var victim in victims)
        {
            _floor = Math.Max(_floor, victim.Worth);
            Drop(victim);
            Remember(victim.Key, victim.Uses);
        }

        return true;
    }

    private void Remember((long Instance, string Shape) key, int uses)
    {
        if (_history.Count >= HistoryLimit)
        {
            _history.Clear();
        }

        _history[key] = uses;
    }

    /// <summary>Halves every count once per ten lookups per partial held: standing is earned again, or lost.</summary>
    private void Age()
    {
        if (++_lookupsSinceAging < 10L * Math.Max(16, _entries.Count))
        {
            return;
        }

        _lookupsSinceAging = 0;
        foreach (var entry in _entries.Values)
        {
            entry.Uses /= 2;
        }

        foreach (var key in _history.Keys.ToList())
        {
            if ((_history[key] /= 2) == 0)
            {
                _history.Remove(key);
            }
        }
    }

    private void Drop(Entry entry)
    {
        _byWorth.Remove(entry);
        _entries.Remove(entry.Key);
        _bytes -= entry.Bytes;
    }

    /// <summary>Marks <paramref name="entry"/> used now (it must not be in <see cref="_byWorth"/> while its order changes).</summary>
    private void Touch(Entry entry)
    {
        entry.Worth = _floor + entry.RowsPerByte;
        entry.Used = ++_uses;
    }

    /// <summary>
    /// The query as the segment sees it, digested: pagination and order left out (they apply to merged rows), the range
    /// cut to the segment's rows (events from its day's start to its last possible event) so that every range covering
    /// the whole day asks the same. A week or month bucket starts no earlier than the range's first local day, so with
    /// those the start stays as asked.
    /// </summary>
    private string Shape(Segment segment, StatsQuery query)
    {
        var from = query.Time is TimeGranularity.Week or TimeGranularity.Month || query.FromUtc > segment.Key.StartUtc
            ? query.FromUtc
            : segment.Key.StartUtc;
        var to = query.ToUtc < segment.Key.LatestEventUtc ? query.ToUtc : segment.Key.LatestEventUtc;
        var shape = query with { OrderBy = [], Limit = 0, Offset = 0, FromUtc = from, ToUtc = to };
        return Convert.ToHexString(SHA256.HashData(serializer.SerializeToArray(shape)));
    }

    private sealed class Entry((long Instance, string Shape) key, string site, SegmentPartial partial, long bytes, double rowsPerByte)
    {
        public (long Instance, string Shape) Key { get; } = key;

        public string Site { get; } = site;

        public SegmentPartial Partial { get; } = partial;

        public long Bytes { get; } = bytes;

        /// <summary>What holding it saves: rows a rescan reads per byte held.</summary>
        public double RowsPerByte { get; } = rowsPerByte;

        /// <summary>Its priority: <see cref="RowsPerByte"/> above the floor at its last use.</summary>
        public double Worth { get; set; }

        /// <summary>When it was last used (a counter), to break ties least recently used first.</summary>
        public long Used { get; set; }

        /// <summary>How often it was asked for (halved now and then): a newcomer used less often cannot push it out.</summary>
        public int Uses { get; set; }
    }
}
