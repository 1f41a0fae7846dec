using Analytics.GrainInterfaces.Query;

namespace Analytics.Gateway.Query;

/// <summary>How a metric changed against its comparison, as Plausible reports it.</summary>
public static class MetricChange
{
    /// <summary>Rates (bounce rate, percentage) change in points; every other metric in percent, 100 when it grew from zero.</summary>
    public static double Of(string metric, double before, double now) =>
        metric is MetricNames.BounceRate or MetricNames.Percentage ? Math.Round(now - before, 1)
        : before == 0 ? (now > 0 ? 100 : 0)
        : Math.Round((now - before) / before * 100);
}
