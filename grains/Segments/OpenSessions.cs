using Analytics.GrainInterfaces.Segments;
using Apache.Arrow;
using static System.Runtime.InteropServices.CollectionsMarshal;

namespace Analytics.Grains.Segments;

/// <summary>
/// The session snapshots an open segment took since it was last built, column by column (strings as codes of
/// dictionaries shared by every session of the segment), the version it holds of every session, and how they merge into
/// the built sessions table (a newer snapshot replacing the built row).
/// </summary>
internal sealed class OpenSessions
{
    private static readonly int Strings = SessionTable.StringColumns.Count;

    private readonly ColumnDictionary[] _dictionaries;

    /// <summary>The version held of every session, built or new.</summary>
    private readonly Dictionary<ulong, int> _versions = [];

    /// <summary>The row of each new session in the columns below.</summary>
    private Dictionary<ulong, int> _rows = [];

    private List<ulong> _ids = [];
    private List<ulong> _visitor = [];
    private List<long> _start = [];
    private List<long> _end = [];
    private List<int> _version = [];
    private List<int> _pageviews = [];
    private List<int> _events = [];
    private List<bool> _bounce = [];

    /// <summary><see cref="Strings"/> codes per row, in the order of <see cref="SessionTable.StringColumns"/>.</summary>
    private List<int> _codes = [];

    /// <summary>Whether some new snapshot replaces a built row.</summary>
    private bool _replacesBuilt;

    public OpenSessions(SessionTable? built)
    {
        _dictionaries = [.. SessionTable.StringColumns.Select(c => built is null ? new ColumnDictionary() : ColumnDictionary.Of(built.Column(c.Dimension)))];
        if (built is null)
        {
            return;
        }

        var ids = built.Ids;
        var versions = built.Versions;
        _versions.EnsureCapacity(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            _versions[ids[i]] = versions[i];
        }
    }

    /// <summary>Sessions held, built or new.</summary>
    public int Total => _versions.Count;

    /// <summary>Sessions added or replaced since the last merge.</summary>
    public int Count => _ids.Count;

    /// <summary>Takes a snapshot newer than the one held (or of a new session); false when it is not newer.</summary>
    public bool Offer(SessionRow session)
    {
        ref var version = ref GetValueRefOrAddDefault(_versions, session.SessionId, out var held);
        if (held && version >= session.Version)
        {
            return false;
        }

        version = session.Version;
        ref var row = ref GetValueRefOrAddDefault(_rows, session.SessionId, out var open);
        if (open)
        {
            Set(row, session);
            return true;
        }

        _replacesBuilt |= held;
        row = _ids.Count;
        _ids.Add(0);
        _visitor.Add(0);
        _start.Add(0);
        _end.Add(0);
        _version.Add(0);
        _pageviews.Add(0);
        _events.Add(0);
        _bounce.Add(false);
        _codes.AddRange(Enumerable.Repeat(0, Strings));
        Set(_ids.Count - 1, session);
        return true;
    }

    /// <summary>The built sessions, less the ones replaced, with the new snapshots merged in by id (as the events are); then cleared.</summary>
    public SessionTable Merge(SessionTable? built)
    {
        var builtIds = built is null ? default : built.Ids;
        var builtStart = built is null ? default : built.Start;
        var start = AsSpan(_start);
        var ids = AsSpan(_ids);
        var replaced = new List<int>();
        for (var i = 0; _replacesBuilt && i < builtIds.Length; i++)
        {
            if (_rows.ContainsKey(builtIds[i]))
            {
                replaced.Add(i);
            }
        }

        var plan = MergePlan.Ordered(builtIds, builtStart, ids, start, AsSpan(replaced));
        var (bounce, _) = plan.Merge(built is null ? default : built.Bounce.ValueBuffer.Span, AsSpan(_bounce));
        var strings = new IArrowArray[Strings];
        var decoded = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var codes = new int[Count];
        for (var c = 0; c < Strings; c++)
        {
            for (var i = 0; i < codes.Length; i++)
            {
                codes[i] = _codes[(i * Strings) + c];
            }

            var (column, dimension, _, _) = SessionTable.StringColumns[c];
            strings[c] = plan.Merge(built?.Column(dimension), codes, _dictionaries[c]);
            decoded[column] = _dictionaries[c].Values();
        }

        var batch = new RecordBatch(
            SessionTable.Schema,
            [
                new UInt64Array(plan.Merge(builtIds, ids), ArrowBuffer.Empty, plan.Count, 0, 0),
                new UInt64Array(plan.Merge(built is null ? default : built.Visitors, AsSpan(_visitor)), ArrowBuffer.Empty, plan.Count, 0, 0),
                new TimestampArray(ArrowColumns.Timestamp, plan.Merge(builtStart, start), ArrowBuffer.Empty, plan.Count, 0, 0),
                new TimestampArray(ArrowColumns.Timestamp, plan.Merge(built is null ? default : built.End, AsSpan(_end)), ArrowBuffer.Empty, plan.Count, 0, 0),
                new Int32Array(plan.Merge(built is null ? default : built.Versions, AsSpan(_version)), ArrowBuffer.Empty, plan.Count, 0, 0),
                new Int32Array(plan.Merge(built is null ? default : built.Pageviews, AsSpan(_pageviews)), ArrowBuffer.Empty, plan.Count, 0, 0),
                new Int32Array(plan.Merge(built is null ? default : built.Events, AsSpan(_events)), ArrowBuffer.Empty, plan.Count, 0, 0),
                new BooleanArray(bounce, ArrowBuffer.Empty, plan.Count, 0, 0),
                .. strings,
            ],
            plan.Count);
        Clear();
        return new SessionTable(batch, decoded);
    }

    private void Set(int row, SessionRow session)
    {
        _ids[row] = session.SessionId;
        _visitor[row] = session.Visitor;
        _start[row] = ArrowColumns.ToMicros(session.Start);
        _end[row] = ArrowColumns.ToMicros(session.End);
        _version[row] = session.Version;
        _pageviews[row] = session.Pageviews;
        _events[row] = session.Events;
        _bounce[row] = session.Bounce;
        var codes = AsSpan(_codes).Slice(row * Strings, Strings);
        for (var c = 0; c < Strings; c++)
        {
            codes[c] = _dictionaries[c].Code(SessionTable.StringColumns[c].Value(session));
        }
    }

    /// <summary>Drops the open rows (and their room: a big batch of them is not the rule).</summary>
    private void Clear()
    {
        _rows = [];
        _replacesBuilt = false;
        _ids = [];
        _visitor = [];
        _start = [];
        _end = [];
        _version = [];
        _pageviews = [];
        _events = [];
        _bounce = [];
        _codes = [];
    }

}
