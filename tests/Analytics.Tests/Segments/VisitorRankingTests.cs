using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sketches;
using Analytics.Grains.Segments;
using static Analytics.Tests.Segments.SegmentRows;

namespace Analytics.Tests.Segments;

/// <summary>
/// A month of day partials merged, asked for a page of rows by visitors: <see cref="VisitorRanking"/> unions only the
/// groups that can make the page, and the page is the one counting every group gives.
/// </summary>
public sealed class VisitorRankingTests
{
    /// <summary>One day's table: per page its visitors (each day's half new, half the day before's) and as many pageviews.</summary>
    private static GroupTable Day(int day, IEnumerable<(string Page, int Visitors)> pages)
    {
        var table = new GroupTable();
        foreach (var (page, visitors) in pages)
        {
            var group = table.GroupOf(0, [page]);
            var counters = new long[GroupTable.Fields];
            counters[GroupTable.Events] = counters[GroupTable.Pageviews] = visitors;
            var hashes = Enumerable.Range(0, visitors).Select(i => VisitorHash.Of(Site, $"{page}-{(day * (visitors / 2)) + i}")).ToArray();
            table.Add(group, counters, GroupVisitors.FromDistinct(hashes));
        }

        return table;
    }

    /// <summary>30 days of 2,000 pages, Zipf-like: page i has 3,000 / (i + 1) visitors a day (a day's sketch above 2,048).</summary>
    private static List<SegmentPartial> Month() =>
        [.. Enumerable.Range(0, 30).Select(d => new SegmentPartial(Day(d, Enumerable.Range(0, 2_000).Select(i => ($"/p{i:D4}", Math.Max(1, 3_000 / (i + 1))))), null))];

    private static StatsQuery Pages(int limit, int offset = 0) =>
        Ask([MetricNames.Visitors, MetricNames.Pageviews], [Dimensions.Page]) with { Limit = limit, Offset = offset };

    [Fact]
    public void A_page_by_visitors_unions_only_the_groups_that_can_make_it_and_equals_counting_them_all()
    {
        var month = Month();
        var merged = SegmentPartial.MergeAll(month);
        var everything = Lines(SegmentPartial.MergeAll(month).ToResult(Pages(limit: 2_000)));

        var shown = Enumerable.Range(0, merged.Groups.Count).ToList();
        var candidates = VisitorRanking.Candidates(merged.Groups, shown, 10);

        // Counting all 2,000 is what the whole answer does; the page's needs a handful (the bounds of the rest are below the bar).
        Assert.InRange(candidates.Count, 10, 40);
        var bar = candidates.Select(g => merged.Groups.VisitorCount(g)).OrderDescending().ElementAt(9);
        Assert.All(shown.Except(candidates), g => Assert.True(merged.Groups.VisitorCount(g) < bar));
        Assert.Equal(everything.Take(10), Lines(SegmentPartial.MergeAll(month).ToResult(Pages(limit: 10))));
        Assert.Equal(everything.Skip(20).Take(15), Lines(SegmentPartial.MergeAll(month).ToResult(Pages(limit: 15, offset: 20))));
    }

    [Fact]
    public void A_group_whose_bound_only_equals_the_bar_is_counted_and_wins_its_tie_by_value()
    {
        // "/b" has the highest bound (5 + 5) but 5 visitors, the same 5 both days; "/a" has 5 on one day: a tie that
        // "/a" wins by its value. Filler pages keep the page small against the rows, as when ranking applies.
        var filler = Enumerable.Range(0, 12).Select(i => ($"/z{i:D2}", 1)).ToList();
        var first = new SegmentPartial(Day(0, [("/b", 5), ("/a", 5), .. filler]), null);
        var second = new SegmentPartial(Day(0, [("/b", 5), .. filler]), null);

        var result = SegmentPartial.MergeAll([first, second]).ToResult(Pages(limit: 1));

        Assert.Equal(["/a=5,5"], Lines(result));
        Assert.Equal(14, result.TotalRows);
    }

    [Fact]
    public void A_merged_partial_with_unions_not_yet_made_crosses_silos_and_answers_the_same()
    {
        var month = Month();

        var copy = Serializer.Deserialize<SegmentPartial>(Serializer.SerializeToArray(SegmentPartial.MergeAll(month)))!;

        Assert.Equal(Lines(SegmentPartial.MergeAll(month).ToResult(Pages(limit: 2_000))), Lines(copy.ToResult(Pages(limit: 2_000))));
    }
}
