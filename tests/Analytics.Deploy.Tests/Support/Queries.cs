using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;

namespace Analytics.Deploy.Tests.Support;

public static class Queries
{
    public static AnalyticsQuery Days(DateOnly first, DateOnly last, string timezone = "Etc/UTC", string site = "cache.test") => new()
    {
        Site = site,
        Metrics = [MetricNames.Visitors, MetricNames.Pageviews],
        Granularity = Granularity.Day,
        First = first.ToDateTime(TimeOnly.MinValue),
        Last = last.ToDateTime(TimeOnly.MinValue),
        Timezone = timezone,
    };

    public static AnalyticsQuery Hours(DateTime firstUtc, DateTime lastUtc, string site = "cache.test") => new()
    {
        Site = site,
        Metrics = [MetricNames.Pageviews],
        Granularity = Granularity.Hour,
        First = DateTime.SpecifyKind(firstUtc, DateTimeKind.Utc),
        Last = DateTime.SpecifyKind(lastUtc, DateTimeKind.Utc),
        TimeDimension = "time:hour",
        Dimensions = ["time:hour"],
    };

    public static QueryResult Result(double visitors, double pageviews) => new([new QueryResultRow([], [visitors, pageviews])], 1);
}
