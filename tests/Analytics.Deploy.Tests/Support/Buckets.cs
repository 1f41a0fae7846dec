using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Sketches;
using Analytics.Grains.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Analytics.Deploy.Tests.Support;

/// <summary>Bucket contents for cache tests: one pageview per contribution, with its page as the event:page row.</summary>
public static class Buckets
{
    public static BucketContribution Pageview(string site, DateTime at, string page, string visitor)
    {
        var hash = VisitorHash.Of(site, visitor);
        return new BucketContribution
        {
            Id = new ContributionId(Guid.NewGuid(), ContributionId.EventPart),
            Site = site,
            At = at,
            Timezone = "Etc/UTC",
            Totals = new Counters(Pageviews: 1, Events: 0, Visits: 0, Bounces: 0, DurationMs: 0),
            Visitor = hash,
            Dimensions = [new DimensionDelta(Dimensions.Page, page, new Counters(1, 0, 0, 0, 0), hash)],
        };
    }

    public static MetricBucketState State(params BucketContribution[] contributions)
    {
        var state = new MetricBucketState();
        state.Apply(contributions, breakdownCapacity: 500, now: 0);
        return state;
    }

    /// <summary>Orleans' serializer with the grain and contract assemblies, as a silo has it.</summary>
    public static Serializer Serializer() =>
        new ServiceCollection()
            .AddSerializer(s => s.AddAssembly(typeof(MetricBucketState).Assembly).AddAssembly(typeof(BucketSlice).Assembly))
            .BuildServiceProvider()
            .GetRequiredService<Serializer>();

    /// <summary>A slice as comparable text: totals, unique visitors and rows.</summary>
    public static string Describe(BucketSlice slice) =>
        $"{slice.Totals} visitors={slice.Visitors.Count()} rows=" +
        string.Join(',', slice.Rows.OrderBy(r => r.Value, StringComparer.Ordinal).Select(r => $"{r.Value}:{r.Counters.Pageviews}/{r.Visitors.Count()}"));
}
