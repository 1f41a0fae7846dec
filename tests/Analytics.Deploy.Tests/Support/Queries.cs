using Analytics.Gateway.Query;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Deploy.Tests.Support;

public static class Queries
{
    /// <summary>Whole local days [first, last] of the zone.</summary>
    public static StatsQuery Days(DateOnly first, DateOnly last, string timezone = "Etc/UTC", string site = "cache.test") => new()
    {
        Site = site,
        Metrics = [MetricNames.Visitors, MetricNames.Pageviews],
        FromUtc = DateRangeResolver.StartOfDayUtc(first, TimeZones.Find(timezone)),
        ToUtc = DateRangeResolver.StartOfDayUtc(last.AddDays(1), TimeZones.Find(timezone)),
        Timezone = timezone,
    };

    /// <summary>UTC hours [firstUtc, lastUtc], by hour.</summary>
    public static StatsQuery Hours(DateTime firstUtc, DateTime lastUtc, string site = "cache.test") => new()
    {
        Site = site,
        Metrics = [MetricNames.Pageviews],
        FromUtc = DateTime.SpecifyKind(firstUtc, DateTimeKind.Utc),
        ToUtc = DateTime.SpecifyKind(lastUtc, DateTimeKind.Utc).AddHours(1),
        Timezone = "Etc/UTC",
        Dimensions = ["time:hour"],
    };

    public static QueryResult Result(double visitors, double pageviews) => new([new QueryResultRow([], [visitors, pageviews])], 1);
}
