using System.Numerics;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Grains.Segments;

/// <summary>
/// The partial aggregates of many groups as flat arrays indexed by a dense group id: per group its time bucket and one
/// id per dimension value, one row of <see cref="Fields"/> counters and sums in one <c>long[]</c>, and the visitor sets.
/// Each dimension's values are held once, in a small dictionary of the table. A breakdown with a long tail (source ×
/// entry page: 170k groups) costs a few arrays, not an object per group; merging another table translates its
/// dictionaries once, then finds each group by integers in an open-addressing index (keys of strings compared per
/// group were most of a month's merge). Visitor sets exist only when a requested metric reads them; a scan's exact sets
/// are slices of one array, not an object per group. A table holds only the counters it is given (<see cref="Held"/>):
/// a scan's those its query reads, two of twelve for a breakdown by visitors and visits, as a day's partial of a long
/// tail is mostly counters, which the collector copies while a query's partials are alive.
/// </summary>
[GenerateSerializer, Alias("SegmentGroupTable")]
public sealed class GroupTable
{
    public const int Visits = 0;
    public const int Bounces = 1;
    public const int DurationMicros = 2;
    public const int SessionPageviews = 3;
    public const int Pageviews = 4;
    public const int Events = 5;
    public const int RevenueMicros = 6;
    public const int RevenueEvents = 7;
    public const int EngagementMs = 8;

    /// <summary>Visits with an engagement event in the group (a session lives in one segment, so counts add up).</summary>
    public const int EngagedVisits = 9;

    /// <summary>Sum over the group's visits of their deepest scroll (engagement events reporting 0–100).</summary>
    public const int ScrollDepthSum = 10;

    /// <summary>Visits that reported a scroll depth in the group.</summary>
    public const int ScrollDepthVisits = 11;

    /// <summary>Counters a group can have (a full row, as <see cref="Add(int, ReadOnlySpan{long}, GroupVisitors?)"/> takes it).</summary>
    public const int Fields = 12;

    /// <summary>Every counter held (the bits of <see cref="Held"/>).</summary>
    public const int AllFields = (1 << Fields) - 1;

    [Id(0)] private long[] _times;
    [Id(1)] private long[] _counters;
    [Id(2)] private GroupVisitors?[] _visitors;
    [Id(3)] private int _count;

    /// <summary>Value ids per group, <see cref="_width"/> each.</summary>
    [Id(4)] private int[] _codes = [];

    /// <summary>Dimension values per key; -1 until the first key fixes it.</summary>
    [Id(5)] private int _width = -1;

    /// <summary>Per dimension, its values by id.</summary>
    [Id(6)] private List<string>[] _values = [];

    /// <summary>Bit f set: counter f is held, in field order; the others are 0 in every group.</summary>
    [Id(7)] private readonly int _held;

    /// <summary>
    /// A scan's exact visitor sets, without an object per group (<see cref="SetVisitors"/>): group g's hashes are
    /// <c>_setHashes[_setEnds[g].._setEnds[g + 1]]</c>, unless <see cref="_visitors"/> has a set for g, which wins.
    /// </summary>
    [Id(8)] private ulong[] _setHashes = [];

    [Id(9)] private int[] _setEnds = [];

    /// <summary>Per dimension, value → id; built when first needed, dropped by <see cref="DropLookups"/>.</summary>
    [NonSerialized]
    private Dictionary<string, int>[]? _valueIds;

    /// <summary>Group id + 1 per slot (0: empty), built when first needed (a scanned segment's keys are distinct and never looked up).</summary>
    [NonSerialized]
    private int[]? _slots;

    /// <param name="capacity">Groups to make room for.</param>
    /// <param name="held">The counters the groups may have (bits of <see cref="Visits"/> ... <see cref="ScrollDepthVisits"/>).</param>
    public GroupTable(int capacity = 16, int held = AllFields)
    {
        capacity = Math.Max(1, capacity);
        _held = held & AllFields;
        _times = new long[capacity];
        _counters = new long[capacity * Stride];
        _visitors = new GroupVisitors?[capacity];
    }

    /// <summary>The counters held (bit f: counter f); the others read 0.</summary>
    public int Held => _held;

    /// <summary>Counters per group in <see cref="_counters"/>.</summary>
    private int Stride => BitOperations.PopCount((uint)_held);

    public int Count => _count;

    /// <summary>Dimension values per key (the time bucket apart).</summary>
    public int Width => Math.Max(0, _width);

    /// <summary>The time bucket key of <paramref name="group"/> (see <see cref="TimeBuckets"/>; 0 without a time dimension).</summary>
    public long Time(int group) => _times[group];

    /// <summary>The value of dimension <paramref name="d"/> (time left out) of <paramref name="group"/>.</summary>
    public string Value(int group, int d) => _values[d][_codes[(group * _width) + d]];

    /// <summary>The key of <paramref name="group"/> as a new object (for lookups in another table).</summary>
    public GroupKey Key(int group)
    {
        var values = new string[Width];
        for (var d = 0; d < values.Length; d++)
        {
            values[d] = Value(group, d);
        }

        return new GroupKey(_times[group], values);
    }

    /// <summary>Whether one of the group's values is empty (a breakdown row without a value, which is not shown).</summary>
    public bool HasEmptyValue(int group)
    {
        for (var d = 0; d < _width; d++)
        {
            if (Value(group, d).Length == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Counter <paramref name="field"/> (<see cref="Visits"/> ... <see cref="ScrollDepthVisits"/>) of <paramref name="group"/>.</summary>
    public long Counter(int group, int field) =>
        (_held & (1 << field)) == 0 ? 0 : _counters[(group * Stride) + BitOperations.PopCount((uint)(_held & ((1 << field) - 1)))];

    /// <summary>The visitors of <paramref name="group"/>, when a metric asked for them (an exact set of a scan: a new object over its slice).</summary>
    public GroupVisitors? Visitors(int group) => _visitors[group] ?? (SetSize(group) > 0 ? GroupVisitors.FromSlice(Slice(group)) : null);

    /// <summary>
    /// Gives the groups, which must be the scan's groups in the order of its ids, the scan's visitor sets: taken as they
    /// are (a scan never writes them again).
    /// </summary>
    internal void SetVisitors(VisitorSets sets)
    {
        if (sets.Ends.Length != _count + 1)
        {
            throw new ArgumentException($"Visitor sets of {sets.Ends.Length - 1} groups for a table of {_count}.", nameof(sets));
        }

        (_setHashes, _setEnds) = (sets.Hashes, sets.Ends);
        if (sets.Large is { } large)
        {
            for (var g = 0; g < _count; g++)
            {
                _visitors[g] ??= large[g];
            }
        }
    }

    /// <summary><paramref name="group"/>'s visitors as a part of a union: a scan's exact set as its slice, without an object.</summary>
    private VisitorPart Part(int group) => _visitors[group] is { } set ? new VisitorPart(default, set) : new VisitorPart(Slice(group), null);

    /// <summary><paramref name="group"/>'s exact set of a scan, as a slice of the shared array.</summary>
    private ArraySegment<ulong> Slice(int group) => new(_setHashes, _setEnds[group], SetSize(group));

    /// <summary>Whether <paramref name="group"/> has visitors (<see cref="Visitors"/> is not null).</summary>
    private bool HasVisitors(int group) => _visitors[group] is not null || SetSize(group) > 0;

    /// <summary>The size of <paramref name="group"/>'s exact set of a scan (0 for none).</summary>
    private int SetSize(int group) => group + 1 < _setEnds.Length ? _setEnds[group + 1] - _setEnds[group] : 0;

    /// <summary>The id of <paramref name="key"/>'s group, added (all zero) when absent.</summary>
    public int GroupOf(GroupKey key) => GroupOf(key.Time, key.Values);

    /// <summary>The id of the group of these values, added (all zero) when absent.</summary>
    public int GroupOf(long time, ReadOnlySpan<string> values)
    {
        Shape(values.Length);
        Span<int> ids = stackalloc int[values.Length];
        for (var d = 0; d < values.Length; d++)
        {
            ids[d] = ValueId(d, values[d]);
        }

        return GroupOf(time, ids);
    }

    /// <summary>The id of the group of these value ids (see <see cref="ValueId(int, int, string)"/>), added (all zero) when absent.</summary>
    public int GroupOf(long time, ReadOnlySpan<int> ids)
    {
        Shape(ids.Length);
        var slots = Index(_count + 1);
        var slot = Find(slots, time, ids);
        return slots[slot] > 0 ? slots[slot] - 1 : Insert(time, ids, slots, slot);
    }

    /// <summary>The id of <paramref name="key"/>'s group, if it has one.</summary>
    public bool TryFind(GroupKey key, out int group)
    {
        group = -1;
        if (_count == 0 || key.Values.Length != _width)
        {
            return false;
        }

        Span<int> ids = stackalloc int[_width];
        var lookups = ValueIds();
        for (var d = 0; d < _width; d++)
        {
            if (!lookups[d].TryGetValue(key.Values[d], out ids[d]))
            {
                return false;
            }
        }

        var slots = Index(_count);
        group = slots[Find(slots, key.Time, ids)] - 1;
        return group >= 0;
    }

    /// <summary>Adds a group known to be new (the caller guarantees distinct keys), of value ids from <see cref="ValueId(int, int, string)"/>.</summary>
    public int Append(long time, ReadOnlySpan<int> ids)
    {
        Shape(ids.Length);
        if (_slots is null)
        {
            return Add(time, ids);
        }

        var slots = Index(_count + 1);
        return Insert(time, ids, slots, Find(slots, time, ids));
    }

    /// <summary>The id of <paramref name="value"/> in dimension <paramref name="d"/> of <paramref name="width"/>, added when new.</summary>
    public int ValueId(int width, int d, string value)
    {
        Shape(width);
        return ValueId(d, value);
    }

    /// <summary>
    /// The id of a value known not to be in dimension <paramref name="d"/> yet (the caller guarantees it), added without
    /// building the value lookup: a scanned segment's labels are distinct per code.
    /// </summary>
    public int NewValueId(int width, int d, string value)
    {
        Shape(width);
        if (_valueIds is not null)
        {
            return ValueId(d, value);
        }

        _values[d].Add(value);
        return _values[d].Count - 1;
    }

    /// <summary>Lets go of the lookups (rebuilt if a key is looked up again): a cached partial is only merged from.</summary>
    public void DropLookups()
    {
        _valueIds = null;
        _slots = null;
    }

    /// <summary>
    /// Adds a full row of counters (<see cref="Fields"/>) and the visitor set into <paramref name="group"/>; a set is taken
    /// as it is (not copied) when the group has none. A counter this table does not hold must be 0.
    /// </summary>
    public void Add(int group, ReadOnlySpan<long> counters, GroupVisitors? visitors)
    {
        for (var f = 0; f < Fields; f++)
        {
            if ((_held & (1 << f)) == 0 && counters[f] != 0)
            {
                throw new InvalidOperationException($"Counter {f} is not held by this table.");
            }
        }

        AddHeld(group, counters, visitors);
    }

    /// <summary>
    /// Adds the counters of a full row (<see cref="Fields"/>) that this table holds, leaving the others out (a scan counts
    /// more than its query reads), and the visitor set, into <paramref name="group"/>.
    /// </summary>
    public void AddHeld(int group, ReadOnlySpan<long> counters, GroupVisitors? visitors)
    {
        var c = group * Stride;
        for (var f = 0; f < Fields; f++)
        {
            if ((_held & (1 << f)) != 0)
            {
                _counters[c++] += counters[f];
            }
        }

        if (visitors is not null)
        {
            // A scan's set is replaced by the union (a merge never writes the array it shares).
            _visitors[group] = Union(Visitors(group), visitors);
        }
    }

    /// <summary>Adds group <paramref name="theirs"/> of <paramref name="other"/> (counters and visitors) into <paramref name="group"/>.</summary>
    public void Add(int group, GroupTable other, int theirs)
    {
        Span<long> row = stackalloc long[Fields];
        for (var f = 0; f < Fields; f++)
        {
            row[f] = other.Counter(theirs, f);
        }

        Add(group, row, other.Visitors(theirs));
    }

    /// <summary>
    /// The tables merged into a new one (they are left unchanged). Counters add up table by table; a group's visitor
    /// sets are gathered into one deferred union (<see cref="GroupVisitors.Deferred"/>), made only if its count is read:
    /// ordered by visitors, a page of a long tail reads few (<see cref="VisitorRanking"/>).
    /// </summary>
    public static GroupTable MergeAll(IReadOnlyList<GroupTable> tables)
    {
        var held = 0;
        foreach (var table in tables)
        {
            held |= table._count > 0 ? table._held : 0;
        }

        var merged = new GroupTable(tables.Count == 0 ? 16 : tables.Max(t => t._count), held);
        var stride = merged.Stride;
        var width = tables.FirstOrDefault(t => t._count > 0)?._width ?? 0;
        // Their value ids → ours, once per distinct value rather than once per group; and every time bucket, numbered.
        var translate = new int[tables.Count][][];
        var times = new Dictionary<long, int>();
        var groups = 0L;
        for (var t = 0; t < tables.Count; t++)
        {
            var table = tables[t];
            if (table._count == 0)
            {
                continue;
            }

            merged.Shape(table._width);
            translate[t] = new int[width][];
            for (var d = 0; d < width; d++)
            {
                var values = table._values[d];
                translate[t][d] = new int[values.Count];
                for (var v = 0; v < values.Count; v++)
                {
                    translate[t][d][v] = merged.ValueId(d, values[v]);
                }
            }

            // A table's groups share few time buckets (one without a time dimension): looked up when it changes.
            var previous = (long?)null;
            for (var h = 0; h < table._count; h++)
            {
                if (table._times[h] != previous)
                {
                    previous = table._times[h];
                    times.TryAdd(table._times[h], times.Count);
                }
            }

            groups += table._count;
        }

        // Keys as mixed-radix numbers of the merged value ids and the time's number: where that space is no larger than
        // the groups, a plain array finds each group (a month of source × entry page: 40k keys for 190k groups, where
        // the hash index took a cache miss or two per group); otherwise the open-addressing index does.
        var space = Math.Max(1L, times.Count);
        for (var d = 0; d < width && space <= int.MaxValue; d++)
        {
            space *= Math.Max(1, merged._values[d].Count);
        }

        var direct = space <= Math.Max(1 << 12, groups * 2) ? new int[space] : null;
        if (direct is null)
        {
            // Sized once for every group being new: a long tail's merge otherwise rebuilt the index at each doubling.
            merged._slots = new int[(int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, groups * 2))];
        }

        Span<int> ids = stackalloc int[width];
        Span<int> radixes = stackalloc int[width];
        for (var d = 0; d < width; d++)
        {
            radixes[d] = merged._values[d].Count;
        }

        // Per table, the merged group of each of its groups; per merged group, how many sets it gathers.
        var groupsOf = new int[tables.Count][];
        var sets = new int[merged._times.Length];
        Span<int> fields = stackalloc int[Fields];
        for (var t = 0; t < tables.Count; t++)
        {
            var table = tables[t];
            var (codes, theirValues, mapped) = (table._codes, translate[t], groupsOf[t] = new int[table._count]);
            // Where each of their counters goes in a merged row.
            var theirStride = 0;
            for (var f = 0; f < Fields; f++)
            {
                if ((table._held & (1 << f)) != 0)
                {
                    fields[theirStride++] = BitOperations.PopCount((uint)(held & ((1 << f) - 1)));
                }
            }

            var (lastTime, lastNumber) = (0L, times.GetValueOrDefault(0));
            for (var h = 0; h < table._count; h++)
            {
                var time = table._times[h];
                if (time != lastTime)
                {
                    (lastTime, lastNumber) = (time, times[time]);
                }

                var key = (long)lastNumber;
                for (var d = 0; d < width; d++)
                {
                    ids[d] = theirValues[d][codes[(h * width) + d]];
                    key = (key * radixes[d]) + ids[d];
                }

                int g;
                if (direct is null)
                {
                    g = merged.GroupOf(time, ids);
                }
                else if (direct[key] > 0)
                {
                    g = direct[key] - 1;
                }
                else
                {
                    g = merged.Add(time, ids);
                    direct[key] = g + 1;
                }

                mapped[h] = g;
                var mine = merged._counters.AsSpan(g * stride, stride);
                var theirs = table._counters.AsSpan(h * theirStride, theirStride);
                for (var f = 0; f < theirs.Length; f++)
                {
                    mine[fields[f]] += theirs[f];
                }

                if (table.HasVisitors(h))
                {
                    if (g >= sets.Length)
                    {
                        Array.Resize(ref sets, merged._times.Length);
                    }

                    sets[g]++;
                }
            }
        }

        merged.GatherVisitors(tables, groupsOf, sets);
        return merged;
    }

    /// <summary>
    /// Roughly what this table holds on the heap: its arrays, each dimension value once (the strings, which the
    /// segment's dictionary may share) and each visitor set.
    /// </summary>
    public long EstimatedBytes()
    {
        var bytes = 64 + (8L * _times.Length) + (8L * _counters.Length) + (8L * _visitors.Length) + (4L * _codes.Length)
            + (8L * _setHashes.Length) + (4L * _setEnds.Length);
        foreach (var values in _values)
        {
            bytes += 32 + (8L * values.Capacity);
            foreach (var value in values)
            {
                bytes += 22 + (2L * value.Length);
            }
        }

        for (var g = 0; g < _count; g++)
        {
            bytes += _visitors[g]?.EstimatedBytes ?? 0;
        }

        return bytes;
    }

    public long VisitorCount(int group) => _visitors[group]?.Count() ?? SetSize(group);

    /// <summary>At least <see cref="VisitorCount"/>, without making a merged group's union (<see cref="GroupVisitors.UpperBound"/>).</summary>
    public long VisitorBound(int group) => _visitors[group]?.UpperBound ?? SetSize(group);

    /// <summary>A metric's value for <paramref name="group"/>, rounded as Plausible rounds it (half away from zero).</summary>
    public double Metric(int group, string name, long totalVisitors)
    {
        long C(int field) => Counter(group, field);
        return name switch
        {
            MetricNames.Visitors => VisitorCount(group),
            MetricNames.Visits => C(Visits),
            MetricNames.Pageviews => C(Pageviews),
            MetricNames.Events => C(Events),
            MetricNames.BounceRate => Ratio(100m * C(Bounces), C(Visits)),
            MetricNames.VisitDuration => Ratio(C(DurationMicros) / 1_000_000m, C(Visits)),
            MetricNames.ViewsPerVisit => Ratio(C(SessionPageviews), C(Visits), 2),
            MetricNames.TimeOnPage => Ratio(C(EngagementMs) / 1000m, C(EngagedVisits)),
            MetricNames.ScrollDepth => Ratio(C(ScrollDepthSum), C(ScrollDepthVisits)),
            MetricNames.Percentage => Ratio(100m * VisitorCount(group), totalVisitors, 1),
            MetricNames.TotalRevenue => Revenue(C(RevenueMicros), 1),
            MetricNames.AverageRevenue => Revenue(C(RevenueMicros), C(RevenueEvents)),
            _ => throw new ArgumentException($"Metric '{name}' is not supported by segments."),
        };
    }

    /// <summary>
    /// numerator / denominator rounded half away from zero, in decimal: in binary floating point 199 / 40 = 4.975 is
    /// 4.97499…, which would round down. 0 when there is nothing to divide by.
    /// </summary>
    private static double Ratio(decimal numerator, long denominator, int digits = 0) =>
        denominator > 0 ? (double)Math.Round(numerator / denominator, digits, MidpointRounding.AwayFromZero) : 0;

    /// <summary>An amount in millionths over <paramref name="count"/>, cut to three decimals as Plausible's Decimal64(3) does.</summary>
    private static double Revenue(long micros, long count) =>
        count > 0 ? (double)(decimal.Truncate(micros / 1000m / count) / 1000m) : 0;

    private static ulong Hash(long time, ReadOnlySpan<int> ids)
    {
        var hash = (ulong)time * FibonacciHash.Multiplier;
        foreach (var id in ids)
        {
            hash = (hash ^ (uint)id) * FibonacciHash.Multiplier;
        }

        return hash;
    }

    /// <summary>Fixes the number of dimension values on the first key; later keys must have as many.</summary>
    private void Shape(int width)
    {
        if (_width == width)
        {
            return;
        }

        if (_width >= 0)
        {
            throw new ArgumentException($"A key of {width} values in a table of {_width}.");
        }

        _width = width;
        _codes = new int[_times.Length * width];
        _values = new List<string>[width];
        for (var d = 0; d < width; d++)
        {
            _values[d] = [];
        }
    }

    private int ValueId(int d, string value)
    {
        var lookup = ValueIds()[d];
        if (!lookup.TryGetValue(value, out var id))
        {
            id = _values[d].Count;
            _values[d].Add(value);
            lookup.Add(value, id);
        }

        return id;
    }

    private Dictionary<string, int>[] ValueIds()
    {
        if (_valueIds is null)
        {
            _valueIds = new Dictionary<string, int>[Width];
            for (var d = 0; d < _valueIds.Length; d++)
            {
                var values = _values[d];
                _valueIds[d] = new Dictionary<string, int>(values.Count, StringComparer.Ordinal);
                for (var v = 0; v < values.Count; v++)
                {
                    _valueIds[d].Add(values[v], v);
                }
            }
        }

        return _valueIds;
    }

    /// <summary>The index, at least twice as large as <paramref name="groups"/> (rebuilt larger when not).</summary>
    private int[] Index(int groups)
    {
        if (_slots is { } slots && slots.Length >= groups * 2)
        {
            return slots;
        }

        slots = new int[(int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, groups * 4))];
        for (var g = 0; g < _count; g++)
        {
            var slot = Find(slots, _times[g], _codes.AsSpan(g * _width, _width));
            slots[slot] = g + 1;
        }

        return _slots = slots;
    }

    /// <summary>The slot holding the group of these ids, or the empty slot where it would go (linear probing).</summary>
    private int Find(int[] slots, long time, ReadOnlySpan<int> ids)
    {
        var mask = slots.Length - 1;
        var slot = (int)(Hash(time, ids) >> (64 - BitOperations.Log2((uint)slots.Length)));
        while (slots[slot] is var held and > 0)
        {
            var g = held - 1;
            if (_times[g] == time && _codes.AsSpan(g * _width, _width).SequenceEqual(ids))
            {
                return slot;
            }

            slot = (slot + 1) & mask;
        }

        return slot;
    }

    private int Insert(long time, ReadOnlySpan<int> ids, int[] slots, int slot)
    {
        var group = Add(time, ids);
        slots[slot] = group + 1;
        return group;
    }

    /// <summary>Stores a new group's key (all counters zero), growing the arrays when full.</summary>
    private int Add(long time, ReadOnlySpan<int> ids)
    {
        if (_count == _times.Length)
        {
            var capacity = _count * 2;
            Array.Resize(ref _times, capacity);
            Array.Resize(ref _counters, capacity * Stride);
            Array.Resize(ref _visitors, capacity);
            Array.Resize(ref _codes, capacity * _width);
        }

        _times[_count] = time;
        ids.CopyTo(_codes.AsSpan(_count * _width, _width));
        return _count++;
    }

    /// <summary>
    /// Gives each merged group its tables' visitor sets: one exact set as it is (a merge replaces an exact array, never
    /// writes it), anything else as a deferred union over a slice of one array holding every such group's sets.
    /// </summary>
    private void GatherVisitors(IReadOnlyList<GroupTable> tables, int[][] groupsOf, int[] sets)
    {
        // Where each deferred group's sets start in the shared array (-1: none, or a single exact set).
        var start = new int[_count];
        var total = 0;
        for (var g = 0; g < _count; g++)
        {
            var n = g < sets.Length ? sets[g] : 0;
            start[g] = n == 0 ? -1 : total;
            total += n;
        }

        var gathered = new VisitorPart[total];
        var filled = new int[_count];
        for (var t = 0; t < tables.Count; t++)
        {
            var table = tables[t];
            for (var h = 0; h < table._count; h++)
            {
                if (table.HasVisitors(h))
                {
                    var g = groupsOf[t][h];
                    gathered[start[g] + filled[g]++] = table.Part(h);
                }
            }
        }

        for (var g = 0; g < _count; g++)
        {
            if (start[g] < 0)
            {
                continue;
            }

            var first = gathered[start[g]];
            _visitors[g] = sets[g] > 1 ? GroupVisitors.Deferred(new ArraySegment<VisitorPart>(gathered, start[g], sets[g]))
                : first.Set is null ? GroupVisitors.FromSlice(first.Exact)
                : first.Set.IsExact ? first.Set.Clone()
                : GroupVisitors.Deferred(new ArraySegment<VisitorPart>(gathered, start[g], 1));
        }
    }

    private static GroupVisitors? Union(GroupVisitors? mine, GroupVisitors? theirs)
    {
        if (mine is null || theirs is null)
        {
            return mine ?? theirs;
        }

        mine.Merge(theirs);
        return mine;
    }
}
