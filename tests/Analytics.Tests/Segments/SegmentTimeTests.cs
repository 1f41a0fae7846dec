using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Segments;
using static Analytics.Tests.Segments.SegmentRows;

namespace Analytics.Tests.Segments;

/// <summary>Time buckets in the site's zone; each session is one pageview, stored in the segment of its UTC start day.</summary>
public sealed class SegmentTimeTests
{
    private static readonly string[] Metrics = [MetricNames.Visits, MetricNames.Pageviews];

    /// <summary>Scans the segments of the given visit starts and merges their partials, as the grid does.</summary>
    private static string[] Run(StatsQuery query, params DateTime[] visits)
    {
        var partials = visits.GroupBy(v => SegmentKey.Of(Site, v)).Select(day => Build(
                day.Key.StartUtc,
                day.Select((v, i) => Session((ulong)v.Ticks, (ulong)i + 1, v, TimeSpan.Zero, "/", "/", 1, 1, bounce: true)),
                day.Select((v, i) => Pageview((ulong)v.Ticks, (ulong)i + 1, v, "/")))
            .Scan(query));
        return Lines(SegmentPartial.MergeAll([.. partials]).ToResult(query));
    }

    private static DateTime Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, DateTimeKind.Utc);

    [Fact]
    public void Hours_are_utc_hours_labelled_in_local_time_even_when_the_clock_falls_back()
    {
        // Berlin leaves summer time at 01:00 UTC on 25 October: 00:00 and 01:00 UTC are both 02:00 local.
        var query = Ask(Metrics, ["time:hour"], from: Utc(10, 24, 22), to: Utc(10, 25, 23), timezone: "Europe/Berlin");

        Assert.Equal(["2026-10-25 02:00:00=1,1", "2026-10-25 02:00:00=1,1", "2026-10-25 04:00:00=1,1"], Run(query, Utc(10, 25, 0, 30), Utc(10, 25, 1, 30), Utc(10, 25, 3, 5)));
    }

    [Fact]
    public void Hours_in_a_half_hour_zone() =>
        Assert.Equal(["2026-11-23 15:30:00=1,1"], Run(Ask(Metrics, ["time:hour"], timezone: "Asia/Kolkata"), Day.AddHours(10).AddMinutes(20)));

    [Fact]
    public void Days_are_local_days() =>
        Assert.Equal(
            ["2026-11-22=1,1", "2026-11-23=1,1"],
            Run(Ask(Metrics, ["time:day"], from: Utc(11, 22, 5), to: Utc(11, 24, 5), timezone: "America/New_York"), Utc(11, 23, 3), Utc(11, 23, 12)));

    [Fact]
    public void Weeks_start_on_local_mondays_but_never_before_the_range()
    {
        // Range: Wednesday 21 October to Tuesday 27 October in Berlin. 25 October 22:30 UTC is Sunday 23:30 in winter time.
        var query = Ask(Metrics, ["time:week"], from: Utc(10, 20, 22), to: Utc(10, 27, 23), timezone: "Europe/Berlin");

        Assert.Equal(["2026-10-21=2,2", "2026-10-26=2,2"], Run(query, Utc(10, 22, 12), Utc(10, 25, 22, 30), Utc(10, 25, 23, 30), Utc(10, 26, 12)));
    }

    [Fact]
    public void Months_start_on_the_first_but_never_before_the_range() =>
        Assert.Equal(
            ["2026-10-15=1,1", "2026-11-01=1,1"],
            Run(Ask(Metrics, ["time:month"], from: Utc(10, 15, 0), to: Utc(11, 15, 0)), Utc(10, 20, 9), Utc(11, 2, 9)));

    [Fact]
    public void Time_and_a_dimension_together()
    {
        var result = Run(Ask([MetricNames.Visits], [Dimensions.Source, "time:hour"]), Day.AddHours(1), Day.AddHours(1).AddMinutes(5), Day.AddHours(2));

        Assert.Equal(["Direct / None,2026-11-23 01:00:00=2", "Direct / None,2026-11-23 02:00:00=1"], result);
    }
}
