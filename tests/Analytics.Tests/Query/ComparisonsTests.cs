using Analytics.Gateway.Query;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Tests.Query;

public sealed class ComparisonsTests
{
    private static readonly StatsQuery Week = new()
    {
        Site = "compare.test",
        Metrics = ["visitors", "bounce_rate"],
        Dimensions = ["visit:source", "time:day"],
        FromUtc = new DateTime(2026, 3, 9, 0, 0, 0, DateTimeKind.Utc),
        ToUtc = new DateTime(2026, 3, 16, 0, 0, 0, DateTimeKind.Utc),
        Timezone = "Etc/UTC",
    };

    private static readonly StatsQuery PreviousWeek = Week with
    {
        FromUtc = new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc),
        ToUtc = new DateTime(2026, 3, 9, 0, 0, 0, DateTimeKind.Utc),
    };

    [Fact]
    public void Rows_pair_by_dimension_values_and_by_the_time_buckets_position()
    {
        var result = new QueryResult(
        [
            new QueryResultRow(["Google", "2026-03-09"], [30, 40]),
            new QueryResultRow(["Bing", "2026-03-10"], [5, 50]),
            new QueryResultRow(["Google", "2026-03-11"], [3, 0]),
        ], 3);
        var before = new QueryResult(
        [
            new QueryResultRow(["Google", "2026-03-02"], [20, 50]),
            new QueryResultRow(["Bing", "2026-03-09"], [99, 99]), // not in the comparison range: never matched
            new QueryResultRow(["Google", "2026-03-04"], [0, 0]),
        ], 3);

        var joined = Comparisons.Join(Week, result, PreviousWeek, before);

        Assert.Equal(["Google", "2026-03-02"], joined[0].Dimensions);
        Assert.Equal([20.0, 50.0], joined[0].Metrics);
        Assert.Equal([50.0, -10.0], joined[0].Change); // visitors +50 %, bounce rate −10 points
        Assert.Equal(["Bing", "2026-03-03"], joined[1].Dimensions);
        Assert.Equal([0.0, 0.0], joined[1].Metrics);
        Assert.Equal([100.0, 50.0], joined[1].Change);
        Assert.Equal(["Google", "2026-03-04"], joined[2].Dimensions);
        Assert.Equal([100.0, 0.0], joined[2].Change);
    }

    [Fact]
    public void An_aggregate_pairs_its_one_row()
    {
        var totals = Week with { Dimensions = [] };
        var joined = Comparisons.Join(totals, new QueryResult([new QueryResultRow([], [10, 20])], 1),
            PreviousWeek with { Dimensions = [] }, new QueryResult([new QueryResultRow([], [40, 20])], 1));

        Assert.Equal([-75.0, 0.0], Assert.Single(joined).Change);
    }
}
