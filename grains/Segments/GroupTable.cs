using Analytics.GrainInterfaces.Query;

namespace Analytics.Grains.Segments;

/// <summary>
/// The partial aggregates of many groups as flat arrays indexed by a dense group id: the keys, one row of
/// <see cref="Fields"/> counters and sums per group in one <c>long[]</c>, and the visitor sets. A breakdown with a long
/// tail (source × entry page: 170k groups) costs a few arrays, not an object per group, and merging another table adds
/// rows into rows. Visitor sets exist only when a requested metric reads them.
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

    /// <summary>Counters per group (the row width of <see cref="Counters"/>).</summary>
    public const int Fields = 12;

    [Id(0)] private GroupKey[] _keys;
    [Id(1)] private long[] _counters;
    [Id(2)] private GroupVisitors?[] _visitors;
    [Id(4)] private int _count;

    /// <summary>Key → group id, built when first needed (a scanned segment's keys are distinct and never looked up).</summary>
    [NonSerialized]
    private Dictionary<GroupKey, int>? _index;

    public GroupTable(int capacity = 16)
    {
        capacity = Math.Max(1, capacity);
        _keys = new GroupKey[capacity];
        _counters = new long[capacity * Fields];
        _visitors = new GroupVisitors?[capacity];
    }

    public int Count => _count;

    public GroupKey Key(int group) => _keys[group];

    /// <summary>The counters of <paramref name="group"/> (indexed by <see cref="Visits"/> ... <see cref="ScrollDepthVisits"/>).</summary>
    public Span<long> Counters(int group) => _counters.AsSpan(group * Fields, Fields);

    /// <summary>The visitors of <paramref name="group"/>, when a metric asked for them.</summary>
    public GroupVisitors? Visitors(int group) => _visitors[group];

    /// <summary>The id of <paramref name="key"/>'s group, added (all zero) when absent.</summary>
    public int GroupOf(GroupKey key) => TryFind(key, out var group) ? group : Append(key);

    /// <summary>The id of <paramref name="key"/>'s group, if it has one.</summary>
    public bool TryFind(GroupKey key, out int group)
    {
        if (_index is null)
        {
            _index = new Dictionary<GroupKey, int>(_count);
            for (var g = 0; g < _count; g++)
            {
                _index.Add(_keys[g], g);
            }
        }

        return _index.TryGetValue(key, out group);
    }

    /// <summary>Adds a group known to be new (the caller guarantees distinct keys).</summary>
    public int Append(GroupKey key)
    {
        if (_count == _keys.Length)
        {
            var capacity = _count * 2;
            Array.Resize(ref _keys, capacity);
            Array.Resize(ref _counters, capacity * Fields);
            Array.Resize(ref _visitors, capacity);
        }

        _keys[_count] = key;
        _index?.Add(key, _count);
        return _count++;
    }

    /// <summary>Adds counters and the visitor set into <paramref name="group"/>; a set is taken as it is (not copied) when the group has none.</summary>
    public void Add(int group, ReadOnlySpan<long> counters, GroupVisitors? visitors)
    {
        var mine = Counters(group);
        for (var f = 0; f < Fields; f++)
        {
            mine[f] += counters[f];
        }

        _visitors[group] = Union(_visitors[group], visitors);
    }

    /// <summary>
    /// The tables merged into a new one (they are left unchanged). Counters add up table by table; a group's visitor
    /// sets are gathered and unioned once at the end (<see cref="GroupVisitors.Union(IReadOnlyList{GroupVisitors})"/>).
    /// </summary>
    public static GroupTable MergeAll(IReadOnlyList<GroupTable> tables)
    {
        var merged = new GroupTable(tables.Count == 0 ? 16 : tables.Max(t => t._count));
        // Groups with more than one set; the first set of any group waits in _visitors, uncopied.
        var several = new Dictionary<int, List<GroupVisitors>>();
        foreach (var table in tables)
        {
            for (var h = 0; h < table._count; h++)
            {
                var g = merged.GroupOf(table._keys[h]);
                var mine = merged.Counters(g);
                var theirs = table.Counters(h);
                for (var f = 0; f < Fields; f++)
                {
                    mine[f] += theirs[f];
                }

                if (table._visitors[h] is not { } set)
                {
                    continue;
                }

                if (several.TryGetValue(g, out var sets))
                {
                    sets.Add(set);
                }
                else if (merged._visitors[g] is { } first)
                {
                    several.Add(g, [first, set]);
                }
                else
                {
                    merged._visitors[g] = set;
                }
            }
        }

        for (var g = 0; g < merged._count; g++)
        {
            merged._visitors[g] = several.TryGetValue(g, out var sets) ? GroupVisitors.Union(sets) : merged._visitors[g]?.Clone();
        }

        return merged;
    }

    /// <summary>
    /// Roughly what this table holds on the heap: its arrays, each key (object, values array, the strings, which the
    /// segment's dictionary may share) and each visitor set.
    /// </summary>
    public long EstimatedBytes()
    {
        var bytes = 64 + (8L * _keys.Length) + (8L * _counters.Length) + (8L * _visitors.Length);
        for (var g = 0; g < _count; g++)
        {
            var values = _keys[g].Values;
            bytes += 32 + 24 + (8L * values.Length);
            foreach (var value in values)
            {
                bytes += 22 + (2L * value.Length);
            }

            bytes += _visitors[g]?.EstimatedBytes ?? 0;
        }

        return bytes;
    }

    public long VisitorCount(int group) => _visitors[group]?.Count() ?? 0;

    /// <summary>A metric's value for <paramref name="group"/>, rounded as Plausible rounds it (half away from zero).</summary>
    public double Metric(int group, string name, long totalVisitors)
    {
        var c = Counters(group);
        return name switch
        {
            MetricNames.Visitors => VisitorCount(group),
            MetricNames.Visits => c[Visits],
            MetricNames.Pageviews => c[Pageviews],
            MetricNames.Events => c[Events],
            MetricNames.BounceRate => Ratio(100m * c[Bounces], c[Visits]),
            MetricNames.VisitDuration => Ratio(c[DurationMicros] / 1_000_000m, c[Visits]),
            MetricNames.ViewsPerVisit => Ratio(c[SessionPageviews], c[Visits], 2),
            MetricNames.TimeOnPage => Ratio(c[EngagementMs] / 1000m, c[EngagedVisits]),
            MetricNames.ScrollDepth => Ratio(c[ScrollDepthSum], c[ScrollDepthVisits]),
            MetricNames.Percentage => Ratio(100m * VisitorCount(group), totalVisitors, 1),
            MetricNames.TotalRevenue => Revenue(c[RevenueMicros], 1),
            MetricNames.AverageRevenue => Revenue(c[RevenueMicros], c[RevenueEvents]),
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
