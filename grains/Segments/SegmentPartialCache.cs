using System.Security.Cryptography;
using Analytics.GrainInterfaces.Query;
using Orleans.Serialization;

namespace Analytics.Grains.Segments;

/// <summary>
/// Partial answers of sealed segments, per query shape, in this silo's memory, bounded by <see cref="CapacityBytes"/>
/// and dropped least recently used first. A sealed segment never changes, so its partial for a shape is the same every
/// time: a repeated question (another page, another order, the dashboard asking again after the result cache expired)
/// merges cached partials instead of scanning. Kept beside the decoded segments (<see cref="SealedSegments"/>), not in
/// the shared hot cache: a partial is only worth keeping where its segment is scanned, and it is large and cheap to lose.
/// <para>
/// The key is the decoded segment's <see cref="Segment.Instance"/> and a digest of the query without what only orders
/// or pages the merged rows (order, limit, offset), with its range cut to the rows the segment can hold. A re-aggregated
/// or reopened segment is new bytes, decoded as a new instance, so its old partials are never found again (they age
/// out); settings the scan reads (goals, time zone, revenue rates) are part of the query, so a changed goal is another key.
/// </para>
/// </summary>
public sealed class SegmentPartialCache(Serializer serializer, long capacityBytes)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(long Instance, string Shape), LinkedListNode<Entry>> _entries = [];
    /// <summary>Most recently used first.</summary>
    private readonly LinkedList<Entry> _recency = new();
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
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                Interlocked.Increment(ref _hits);
                return node.Value.Partial;
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
                _entries.Add(key, _recency.AddFirst(new Entry(key, segment.Key.Site, partial, bytes)));
                _bytes += bytes;
                while (_bytes > capacityBytes && _recency.Last is { } oldest)
                {
                    Drop(oldest);
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
            for (var node = _recency.First; node is not null;)
            {
                var next = node.Next;
                if (string.Equals(node.Value.Site, site, StringComparison.Ordinal))
                {
                    Drop(node);
                }

                node = next;
            }
        }
    }

    private void Drop(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _entries.Remove(node.Value.Key);
        _bytes -= node.Value.Bytes;
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

    private sealed record Entry((long Instance, string Shape) Key, string Site, SegmentPartial Partial, long Bytes);
}
