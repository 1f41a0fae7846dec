using Analytics.Gateway.Query;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Tests.Query;

public sealed class TimeBucketsTests
{
    private static StatsQuery Query(DateTime from, DateTime to, string time, string timezone = "Europe/Berlin") => new()
    {
        Site = "labels.test",
        Metrics = ["visitors"],
        Dimensions = [time],
        FromUtc = from,
        ToUtc = to,
        Timezone = timezone,
    };

    private static DateTime Utc(int year, int month, int day, int hour = 0) => new(year, month, day, hour, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Hours_are_utc_hours_labelled_in_local_time_so_a_fall_back_day_repeats_one_label()
    {
        var labels = TimeBuckets.Labels(Query(Utc(2026, 10, 24, 22), Utc(2026, 10, 25, 23), "time:hour"));

        Assert.Equal(25, labels.Count);
        Assert.Equal("2026-10-25 00:00:00", labels[0]);
        Assert.Equal(2, labels.Count(l => l == "2026-10-25 02:00:00"));
        Assert.Equal("2026-10-25 23:00:00", labels[^1]);
    }

    [Fact]
    public void Days_are_the_local_days_of_the_range()
    {
        Assert.Equal(["2026-03-01", "2026-03-02", "2026-03-03"], TimeBuckets.Labels(Query(Utc(2026, 2, 28, 23), Utc(2026, 3, 3, 23), "time:day")));
    }

    [Fact]
    public void Weeks_are_labelled_by_their_monday_but_never_before_the_first_day()
    {
        // 2026-03-04 is a Wednesday; the next Mondays are the 9th and 16th.
        Assert.Equal(["2026-03-04", "2026-03-09", "2026-03-16"], TimeBuckets.Labels(Query(Utc(2026, 3, 3, 23), Utc(2026, 3, 17, 23), "time:week")));
    }

    [Fact]
    public void Months_are_labelled_by_their_first_day_but_never_before_the_first_day()
    {
        Assert.Equal(["2026-01-15", "2026-02-01", "2026-03-01"], TimeBuckets.Labels(Query(Utc(2026, 1, 14, 23), Utc(2026, 3, 1, 23), "time:month")));
    }

    [Fact]
    public void A_query_without_a_time_dimension_has_no_labels()
    {
        Assert.Empty(TimeBuckets.Labels(Query(Utc(2026, 1, 1), Utc(2026, 1, 2), "visit:source")));
    }
}
