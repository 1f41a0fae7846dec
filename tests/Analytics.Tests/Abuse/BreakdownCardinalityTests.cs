using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Sketches;
using Analytics.Grains.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Analytics.Tests.Abuse;

/// <summary>
/// An attacker sending a million distinct random paths into one bucket: the bucket's state (what a grain holds in memory
/// and writes to storage) stops growing once its breakdown is full, and every pageview is still counted.
/// </summary>
public sealed class BreakdownCardinalityTests
{
    private const int Capacity = 500;
    private const int Attack = 1_000_000;
    private const int Batch = 10_000;
    private const string Site = "attacked.test";

    [Fact]
    public void A_million_random_paths_keep_one_bucket_bounded_and_every_pageview_counted()
    {
        var serializer = new ServiceCollection()
            .AddSerializer(s => s.AddAssembly(typeof(MetricBucketState).Assembly).AddAssembly(typeof(BucketSlice).Assembly))
            .BuildServiceProvider()
            .GetRequiredService<Serializer<MetricBucketState>>();
        var random = new Random(20261123);
        var state = new MetricBucketState();
        var sizes = new List<int>();

        for (var sent = 0; sent < Attack; sent += Batch)
        {
            state.Apply(Enumerable.Range(0, Batch).Select(_ => RandomPageview(random)), Capacity, now: sent);
            // The live grain forgets a contribution's id once its visitor has saved; the attack's ids are all confirmed.
            state.InFlight.Clear();
            if ((sent + Batch) % 100_000 == 0)
            {
                sizes.Add(serializer.SerializeToArray(state).Length);
            }
        }

        var pages = state.Breakdowns[Dimensions.Page].Rows;
        Assert.Equal(Capacity + 1, pages.Count);
        Assert.Equal(Attack, state.Totals.Pageviews);
        Assert.Equal(Attack, pages.Values.Sum(r => r.Counters.Pageviews));
        Assert.Equal(Attack - Capacity, pages[Dimensions.Other].Counters.Pageviews);
        // From 100k to 1M paths the stored state may not grow by more than 1 % (sketches switched to fixed-size registers).
        Assert.True(sizes[^1] <= sizes[0] * 1.01, $"bucket state grew from {sizes[0]:N0} B at 100k paths to {sizes[^1]:N0} B at 1M: {string.Join(", ", sizes)}");
        Assert.True(sizes[^1] < 512 * 1024, $"one bucket's state is {sizes[^1]:N0} B");
    }

    private static BucketContribution RandomPageview(Random random)
    {
        var path = $"/{Convert.ToHexString(BitConverter.GetBytes(random.NextInt64()))}";
        var visitor = VisitorHash.Of(Site, random.NextInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new BucketContribution
        {
            Id = new ContributionId(Guid.NewGuid(), ContributionId.EventPart),
            Site = Site,
            At = new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc),
            Timezone = "Etc/UTC",
            Totals = new Counters(Pageviews: 1, Events: 0, Visits: 0, Bounces: 0, DurationMs: 0),
            Visitor = visitor,
            Dimensions = [new DimensionDelta(Dimensions.Page, path, new Counters(1, 0, 0, 0, 0), visitor)],
        };
    }
}
