using System.Buffers;
using System.Text;

namespace Analytics.Abstractions.Lanes;

/// <summary>
/// Merges a lane's parts (<see cref="LaneSessionRecords"/>) read in the order they were written: the latest record of
/// each visitor wins, records move as bytes, never decoded. Then hands them out again as fresh parts of at most a given
/// size, without the sessions that expired or belong to a site being erased. Reused across compactions (the buffers stay).
/// Not thread-safe: one compaction at a time.
/// </summary>
public sealed class LaneSessionCompaction(int maxPartBytes)
{
    private readonly ArrayBufferWriter<byte> _records = new(maxPartBytes);
    private readonly ArrayBufferWriter<byte> _part = new(Math.Min(maxPartBytes, 64 * 1024));
    private readonly Dictionary<ulong, (int Start, int Length)> _latest = [];

    /// <summary>Starts a new compaction.</summary>
    public void Clear()
    {
        _records.ResetWrittenCount();
        _latest.Clear();
    }

    /// <summary>Adds a part's records; a later one of a visitor replaces an earlier one.</summary>
    public void Add(ReadOnlySpan<byte> part)
    {
        var at = _records.WrittenCount;
        _records.Write(part);
        for (var offset = 0; offset < part.Length;)
        {
            var length = LaneSessionRecords.Length(part[offset..]);
            _latest[LaneSessionRecords.Visitor(part[offset..])] = (at + offset, length);
            offset += length;
        }
    }

    /// <summary>The distinct sites of the merged records.</summary>
    public IReadOnlyCollection<string> Sites()
    {
        var sites = new HashSet<string>(StringComparer.Ordinal);
        byte[]? last = null;
        foreach (var (start, length) in _latest.Values)
        {
            var site = LaneSessionRecords.Site(_records.WrittenSpan.Slice(start, length));
            // Records of one site tend to follow each other: decoded once per run, not per record.
            if (last is null || !site.SequenceEqual(last))
            {
                last = site.ToArray();
                sites.Add(Encoding.UTF8.GetString(site));
            }
        }

        return sites;
    }

    /// <summary>
    /// The merged records as parts of at most the size given (whole records, at least one per part), without those that
    /// ended before <paramref name="expireBeforeTicks"/> or belong to one of <paramref name="dropSites"/> (being erased).
    /// Each part's memory is valid until the next one is asked for.
    /// </summary>
    public IEnumerable<ReadOnlyMemory<byte>> Parts(long expireBeforeTicks, IReadOnlyCollection<string>? dropSites)
    {
        var drop = dropSites?.Select(Encoding.UTF8.GetBytes).ToArray();
        _part.ResetWrittenCount();
        foreach (var (start, length) in _latest.Values)
        {
            if (!Keeps(_records.WrittenSpan.Slice(start, length), expireBeforeTicks, drop))
            {
                continue;
            }

            if (_part.WrittenCount > 0 && _part.WrittenCount + length > maxPartBytes)
            {
                yield return _part.WrittenMemory;
                _part.ResetWrittenCount();
            }

            _part.Write(_records.WrittenSpan.Slice(start, length));
        }

        if (_part.WrittenCount > 0)
        {
            yield return _part.WrittenMemory;
        }
    }

    private static bool Keeps(ReadOnlySpan<byte> record, long expireBeforeTicks, byte[][]? drop)
    {
        if (LaneSessionRecords.EndTicks(record) < expireBeforeTicks)
        {
            return false;
        }

        var site = LaneSessionRecords.Site(record);
        foreach (var dropped in drop ?? [])
        {
            if (site.SequenceEqual(dropped))
            {
                return false;
            }
        }

        return true;
    }
}
