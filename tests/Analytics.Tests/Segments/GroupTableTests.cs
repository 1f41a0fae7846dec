using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sketches;
using Analytics.Grains.Segments;
using static Analytics.Tests.Segments.SegmentRows;

namespace Analytics.Tests.Segments;

/// <summary>
/// <see cref="GroupTable"/> keys groups by value ids of its own dictionaries: tables built with different dictionaries
/// (every segment has its own) must still merge group by value, and lookups must survive serialization.
/// </summary>
public sealed class GroupTableTests
{
    private static void Count(GroupTable table, long time, string[] values, long visits)
    {
        var row = new long[GroupTable.Fields];
        row[GroupTable.Visits] = visits;
        table.Add(table.GroupOf(time, values), row, null);
    }

    private static Dictionary<string, long> Visits(GroupTable table) =>
        Enumerable.Range(0, table.Count).ToDictionary(
            g => $"{table.Time(g)}|{string.Join(",", Enumerable.Range(0, table.Width).Select(d => table.Value(g, d)))}",
            g => table.Counter(g, GroupTable.Visits));

    [Fact]
    public void Tables_with_different_dictionaries_merge_group_by_value_and_time()
    {
        var first = new GroupTable();
        Count(first, 0, ["Google", "/"], 1);
        Count(first, 0, ["Bing", "/pricing"], 2);
        Count(first, 7, ["Google", "/"], 4);

        // Here "Bing" and "/pricing" come first: id 0 means another value in each table.
        var second = new GroupTable();
        Count(second, 0, ["Bing", "/pricing"], 8);
        Count(second, 0, ["Google", "/pricing"], 16);
        Count(second, 0, ["Google", "/"], 32);

        var merged = GroupTable.MergeAll([first, new GroupTable(), second]);

        Assert.Equal(
            new Dictionary<string, long> { ["0|Google,/"] = 33, ["0|Bing,/pricing"] = 10, ["7|Google,/"] = 4, ["0|Google,/pricing"] = 16 },
            Visits(merged));
        // The inputs are left as they were.
        Assert.Equal(3, first.Count);
        Assert.Equal(8, second.Counter(0, GroupTable.Visits));
    }

    [Fact]
    public void Lookups_work_after_a_round_trip_through_the_serializer_and_refuse_unknown_keys()
    {
        var table = new GroupTable();
        Count(table, 0, ["Google", "/"], 1);
        Count(table, 3, ["", "/blog"], 2);
        table.DropLookups();
        var copy = Serializer.Deserialize<GroupTable>(Serializer.SerializeToArray(table))!;

        Assert.True(copy.TryFind(new GroupKey(3, ["", "/blog"]), out var blog));
        Assert.Equal(2, copy.Counter(blog, GroupTable.Visits));
        Assert.True(copy.HasEmptyValue(blog));
        Assert.True(copy.TryFind(new GroupKey(0, ["Google", "/"]), out var google));
        Assert.False(copy.HasEmptyValue(google));
        Assert.False(copy.TryFind(new GroupKey(3, ["Google", "/"]), out _));
        Assert.False(copy.TryFind(new GroupKey(0, ["Google", "/unknown"]), out _));
        Assert.False(copy.TryFind(new GroupKey(0, ["Google"]), out _));
        // A new group after the round trip gets the next id, and the old ones stay found.
        Assert.Equal(2, copy.GroupOf(new GroupKey(0, ["Bing", "/"])));
        Assert.Equal(google, copy.GroupOf(new GroupKey(0, ["Google", "/"])));
        Assert.Throws<ArgumentException>(() => copy.GroupOf(new GroupKey(0, ["Google"])));
    }

    [Fact]
    public void A_long_tail_merges_exactly_through_index_growth()
    {
        // 60,000 groups each, 20,000 shared: the index is rebuilt several times while the first table fills.
        var first = new GroupTable(1);
        var second = new GroupTable(1);
        for (var i = 0; i < 60_000; i++)
        {
            Count(first, i % 3, [$"s{i % 400}", $"/p{i}"], 1);
            Count(second, (i + 40_000) % 3, [$"s{(i + 40_000) % 400}", $"/p{i + 40_000}"], 2);
        }

        var merged = GroupTable.MergeAll([first, second]);

        Assert.Equal(100_000, merged.Count);
        var visits = Visits(merged);
        Assert.Equal(1, visits["0|s0,/p0"]);
        Assert.Equal(3, visits[$"{40_000 % 3}|s{40_000 % 400},/p40000"]);
        Assert.Equal(3, visits[$"{59_999 % 3}|s{59_999 % 400},/p59999"]);
        Assert.Equal(2, visits[$"{99_999 % 3}|s{99_999 % 400},/p99999"]);
        Assert.Equal((60_000 * 1) + (60_000 * 2), visits.Values.Sum());
    }

    [Fact]
    public void A_table_holds_only_the_counters_it_was_given_and_merges_with_tables_holding_others()
    {
        var visitsAndBounces = (1 << GroupTable.Visits) | (1 << GroupTable.Bounces);
        var first = new GroupTable(1, visitsAndBounces);
        first.Add(first.GroupOf(0, ["Google"]), Row((GroupTable.Visits, 3), (GroupTable.Bounces, 1)), null);
        // Pageviews is not held: a count of them would be lost, so it is refused; a zero is fine.
        Assert.Throws<InvalidOperationException>(() => first.Add(0, Row((GroupTable.Pageviews, 1)), null));
        first.Add(0, Row((GroupTable.Pageviews, 0)), null);
        var second = new GroupTable(1, (1 << GroupTable.Pageviews) | (1 << GroupTable.Bounces));
        second.Add(second.GroupOf(0, ["Google"]), Row((GroupTable.Pageviews, 5), (GroupTable.Bounces, 2)), null);
        second.Add(second.GroupOf(0, ["Bing"]), Row((GroupTable.Pageviews, 7)), null);

        var merged = GroupTable.MergeAll([first, second]);
        var copy = Serializer.Deserialize<GroupTable>(Serializer.SerializeToArray(merged))!;

        Assert.Equal(visitsAndBounces | (1 << GroupTable.Pageviews), copy.Held);
        Assert.True(copy.TryFind(new GroupKey(0, ["Google"]), out var google));
        Assert.True(copy.TryFind(new GroupKey(0, ["Bing"]), out var bing));
        Assert.Equal((3, 3, 5, 0), (copy.Counter(google, GroupTable.Visits), copy.Counter(google, GroupTable.Bounces), copy.Counter(google, GroupTable.Pageviews), copy.Counter(google, GroupTable.Events)));
        Assert.Equal((0, 0, 7), (copy.Counter(bing, GroupTable.Visits), copy.Counter(bing, GroupTable.Bounces), copy.Counter(bing, GroupTable.Pageviews)));
        Assert.Equal(100, copy.Metric(google, MetricNames.BounceRate, 0));
        // The inputs are left as they were.
        Assert.Equal(1, first.Counter(0, GroupTable.Bounces));
        Assert.Equal(0, first.Counter(0, GroupTable.Pageviews));
    }

    [Fact]
    public void A_scans_visitor_sets_without_objects_count_merge_and_cross_silos_as_sets_do()
    {
        var v = Enumerable.Range(0, 3_000).Select(i => VisitorHash.Of(Site, $"v{i}")).ToArray();
        // A scan's table: group 0 has v0..v2, group 1 nobody, group 2 v0..v2,499 (a sketch).
        var scanned = new GroupTable(3);
        using (var pairs = new VisitorsByGroup())
        {
            pairs.AddRuns([0, 1, 2, 1], [0, 0, 0, 0], [0, 1, 2, 1]);
            pairs.AddRuns([.. Enumerable.Range(0, 2_500)], [.. Enumerable.Repeat(2, 2_500)], [.. Enumerable.Range(0, 2_500)]);
            foreach (var page in (string[])["/", "/empty", "/big"])
            {
                scanned.GroupOf(0, [page]);
            }

            scanned.SetVisitors(pairs.Sets(3, v));
        }

        Assert.Equal((3, 0), (scanned.VisitorCount(0), scanned.VisitorCount(1)));
        Assert.Null(scanned.Visitors(1));
        Assert.InRange(scanned.VisitorCount(2), 2_500 * 0.98, 2_500 * 1.02);
        // Another day's table whose sets are objects: "/" has v2 and v3.
        var objects = new GroupTable();
        objects.Add(objects.GroupOf(0, ["/"]), new long[GroupTable.Fields], GroupVisitors.FromDistinct([v[2], v[3]]));
        var copy = Serializer.Deserialize<GroupTable>(Serializer.SerializeToArray(scanned))!;

        foreach (var (merged, visitors) in (IEnumerable<(GroupTable, long)>)[(GroupTable.MergeAll([scanned, objects]), 4), (GroupTable.MergeAll([copy, objects]), 4), (GroupTable.MergeAll([copy]), 3)])
        {
            Assert.True(merged.TryFind(new GroupKey(0, ["/"]), out var home));
            Assert.Equal(visitors, merged.VisitorCount(home));
            Assert.True(merged.TryFind(new GroupKey(0, ["/big"]), out var big));
            Assert.InRange(merged.VisitorCount(big), 2_500 * 0.98, 2_500 * 1.02);
        }

        // Adding into a scanned group unions with its set (the shared array is not written).
        scanned.Add(0, new long[GroupTable.Fields], GroupVisitors.FromDistinct([v[0], v[9]]));
        Assert.Equal(4, scanned.VisitorCount(0));
        Assert.Equal(3, copy.VisitorCount(0));
    }

    private static long[] Row(params (int Field, long Value)[] values)
    {
        var row = new long[GroupTable.Fields];
        foreach (var (field, value) in values)
        {
            row[field] = value;
        }

        return row;
    }
}
