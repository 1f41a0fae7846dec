using System.Runtime.InteropServices;
using Analytics.GrainInterfaces.Segments;
using Apache.Arrow;
using static System.Runtime.InteropServices.CollectionsMarshal;

namespace Analytics.Grains.Segments;

/// <summary>
/// The events an open segment took since it was last built, column by column (strings as codes of dictionaries shared by
/// every row of the segment), and how they merge into the built events and props tables.
/// </summary>
internal sealed class OpenEvents
{
    private readonly ColumnDictionary _names;
    private readonly ColumnDictionary _pages;
    private readonly ColumnDictionary _hostnames;
    private readonly ColumnDictionary _currencies;
    private readonly ColumnDictionary _propKeys;
    private readonly ColumnDictionary _propValues;

    private List<long> _timestamps = [];
    private List<int> _name = [];
    private List<int> _page = [];
    private List<int> _hostname = [];
    private List<ulong> _visitor = [];
    private List<ulong> _session = [];
    private List<bool> _interactive = [];
    private List<long> _engagement = [];
    private List<int> _scroll = [];
    private List<bool> _hasScroll = [];
    private List<long> _revenue = [];
    private List<bool> _hasRevenue = [];
    private List<int> _currency = [];

    /// <summary>Per new event, its first row in <see cref="_props"/> (its props run to the next event's first row).</summary>
    private List<int> _firstProp = [];
    private List<(int Key, int Value)> _props = [];

    public OpenEvents(EventTable? built, PropsTable? props)
    {
        _names = Dictionary(built?.Name);
        _pages = Dictionary(built?.Page);
        _hostnames = Dictionary(built?.Hostname);
        _currencies = Dictionary(built?.Currency);
        _propKeys = Dictionary(props?.Keys);
        _propValues = Dictionary(props?.PropValues);
    }

    /// <summary>Events added since the last merge.</summary>
    public int Count => _timestamps.Count;

    public void Add(EventRow row)
    {
        _timestamps.Add(ArrowColumns.ToMicros(row.Timestamp));
        _name.Add(_names.Code(row.Name));
        _page.Add(_pages.Code(row.Pathname));
        _hostname.Add(_hostnames.Code(row.Hostname));
        _visitor.Add(row.Visitor);
        _session.Add(row.Session);
        _interactive.Add(row.Interactive);
        _engagement.Add(row.EngagementMs);
        _scroll.Add(row.ScrollDepth ?? 0);
        _hasScroll.Add(row.ScrollDepth is not null);
        _revenue.Add(row.RevenueAmount is { } amount ? (long)decimal.Round(amount * EventTable.RevenueScale) : 0);
        _hasRevenue.Add(row.RevenueAmount is not null);
        _currency.Add(_currencies.Code(row.RevenueCurrency));
        _firstProp.Add(_props.Count);
        if (row.Props is { Count: > 0 } props)
        {
            foreach (var (key, value) in props.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                _props.Add((_propKeys.Code(key), _propValues.Code(value)));
            }
        }
    }

    /// <summary>
    /// The built events with the new ones merged in by session and time (a new event after built ones of the same
    /// instant), their props following them; the new events are then cleared.
    /// </summary>
    public (EventTable Events, PropsTable Props) Merge(SegmentKey key, EventTable? built, PropsTable? builtProps)
    {
        var builtSessions = built is null ? default : built.Sessions;
        var builtTimes = built is null ? default : built.Timestamps;
        var session = AsSpan(_session);
        var time = AsSpan(_timestamps);
        var plan = MergePlan.Ordered(builtSessions, builtTimes, session, time, []);
        var (scroll, scrollValid, scrollNulls) = plan.Merge(built is null ? default : built.ScrollDepth.Values, Validity(built?.ScrollDepth), AsSpan(_scroll), AsSpan(_hasScroll));
        var (revenue, revenueValid, revenueNulls) = plan.Merge(built is null ? default : built.Revenue.Values, Validity(built?.Revenue), AsSpan(_revenue), AsSpan(_hasRevenue));
        var (interactive, _) = plan.Merge(built is null ? default : built.Interactive.ValueBuffer.Span, AsSpan(_interactive));
        var times = plan.Merge(builtTimes, time);
        var batch = new RecordBatch(
            EventTable.Schema(key, MemoryMarshal.Cast<byte, long>(times.Span)[..plan.Count]),
            [
                new TimestampArray(ArrowColumns.Timestamp, times, ArrowBuffer.Empty, plan.Count, 0, 0),
                plan.Merge(built?.Name, AsSpan(_name), _names),
                plan.Merge(built?.Page, AsSpan(_page), _pages),
                plan.Merge(built?.Hostname, AsSpan(_hostname), _hostnames),
                new UInt64Array(plan.Merge(built is null ? default : built.Visitors, AsSpan(_visitor)), ArrowBuffer.Empty, plan.Count, 0, 0),
                new UInt64Array(plan.Merge(builtSessions, session), ArrowBuffer.Empty, plan.Count, 0, 0),
                new BooleanArray(interactive, ArrowBuffer.Empty, plan.Count, 0, 0),
                new Int64Array(plan.Merge(built is null ? default : built.EngagementMs, AsSpan(_engagement)), ArrowBuffer.Empty, plan.Count, 0, 0),
                new Int32Array(scroll, scrollValid, plan.Count, scrollNulls, 0),
                new Int64Array(revenue, revenueValid, plan.Count, revenueNulls, 0),
                plan.Merge(built?.Currency, AsSpan(_currency), _currencies),
            ],
            plan.Count);
        var events = new EventTable(batch, new Dictionary<string, string[]>
        {
            [EventTable.NameColumn] = _names.Values(),
            [EventTable.PageColumn] = _pages.Values(),
            [EventTable.HostnameColumn] = _hostnames.Values(),
            [EventTable.CurrencyColumn] = _currencies.Values(),
        });
        var props = MergeProps(plan, builtProps);
        Clear();
        return (events, props);
    }

    private PropsTable MergeProps(MergePlan plan, PropsTable? built)
    {
        var builtEvents = built is null ? default : built.Events;
        var builtKeys = built is null ? default : built.Keys.Codes;
        var builtValues = built is null ? default : built.PropValues.Codes;
        var count = builtEvents.Length + _props.Count;
        var events = new int[count];
        var keys = new int[count];
        var values = new int[count];
        var p = 0;
        foreach (var (merged, from, to, row) in plan.Runs())
        {
            // The built props are ordered by event: a run of built events owns one run of props, shifted as the events are.
            var first = FirstPropOf(builtEvents, from);
            var end = FirstPropOf(builtEvents, to);
            for (var q = first; q < end; q++, p++)
            {
                events[p] = builtEvents[q] - from + merged;
                keys[p] = builtKeys[q];
                values[p] = builtValues[q];
            }

            if (row < 0)
            {
                continue;
            }

            var last = row + 1 < _firstProp.Count ? _firstProp[row + 1] : _props.Count;
            for (var q = _firstProp[row]; q < last; q++, p++)
            {
                events[p] = merged + to - from;
                (keys[p], values[p]) = _props[q];
            }
        }

        var batch = new RecordBatch(
            PropsTable.Schema,
            [
                ArrowColumns.Int32(events),
                new DictionaryArray(ArrowColumns.DictionaryString, ArrowColumns.Int32(keys), _propKeys.Arrow()),
                new DictionaryArray(ArrowColumns.DictionaryString, ArrowColumns.Int32(values), _propValues.Arrow()),
            ],
            count);
        return new PropsTable(batch, new Dictionary<string, string[]>
        {
            [PropsTable.KeyColumn] = _propKeys.Values(),
            [PropsTable.ValueColumn] = _propValues.Values(),
        });
    }

    /// <summary>Drops the open rows (and their room: a big batch of them is not the rule).</summary>
    private void Clear()
    {
        _timestamps = [];
        _name = [];
        _page = [];
        _hostname = [];
        _visitor = [];
        _session = [];
        _interactive = [];
        _engagement = [];
        _scroll = [];
        _hasScroll = [];
        _revenue = [];
        _hasRevenue = [];
        _currency = [];
        _firstProp = [];
        _props = [];
    }

    private static ColumnDictionary Dictionary(DictionaryColumn? built) => built is null ? new ColumnDictionary() : ColumnDictionary.Of(built);

    private static ReadOnlySpan<byte> Validity(Apache.Arrow.Array? built) => built is null ? default : built.NullBitmapBuffer.Span;

    /// <summary>The first props row of built event <paramref name="e"/> or a later one (props rows are ordered by event).</summary>
    private static int FirstPropOf(ReadOnlySpan<int> events, int e)
    {
        int low = 0, high = events.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (events[mid] < e)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
