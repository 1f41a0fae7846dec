using Analytics.Grains.Segments;
using static Analytics.Tests.Segments.SegmentRows;

namespace Analytics.Tests.Segments;

/// <summary>
/// <see cref="GroupTable"/> keys groups by value ids of its own dictionaries: tables built with different dictionaries
/// (every segment has its own) must still merge group by value, and lookups must survive serialization.
/// </summary>
public sealed class GroupTableTests
{
    private static void Count(GroupTable table, long time, string[] values, long visits) =>
        table.Counters(table.GroupOf(time, values))[GroupTable.Visits] += visits;

    private static Dictionary<string, long> Visits(GroupTable table) =>
        Enumerable.Range(0, table.Count).ToDictionary(
            g => $"{table.Time(g)}|{string.Join(",", Enumerable.Range(0, table.Width).Select(d => table.Value(g, d)))}",
            g => table.Counters(g)[GroupTable.Visits]);

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
        Assert.Equal(8, second.Counters(0)[GroupTable.Visits]);
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
        Assert.Equal(2, copy.Counters(blog)[GroupTable.Visits]);
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
}
