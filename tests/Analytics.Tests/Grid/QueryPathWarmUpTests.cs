using Analytics.GrainInterfaces.Segments;
using Analytics.GrainInterfaces.Sites;
using Analytics.Grains.Query;
using Analytics.Grains.Segments;
using Analytics.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.TestingHost;

namespace Analytics.Tests.Grid;

/// <summary>The start-up question of the grid (<see cref="QueryPathWarmUp"/>), on the real grains.</summary>
public sealed class QueryPathWarmUpTests(GridFixture grid) : IClassFixture<GridFixture>
{
    private SealedSegments Sealed => grid.Cluster.Primary is InProcessSiloHandle silo
        ? silo.SiloHost.Services.GetRequiredService<SealedSegments>()
        : throw new InvalidOperationException("The silo runs in another process.");

    [Fact]
    public async Task It_asks_about_the_last_sealed_day_of_the_first_site_that_has_a_segment_and_reaches_that_day_s_segment_grain()
    {
        Assert.Null(await QueryPathWarmUp.AskAsync(grid.Grains, Sealed.IsSealable));

        // Listed first, nothing tracked: passed over.
        await grid.Grains.GetGrain<ISiteGrain>("a-empty.test").RegisterAsync(new SiteSettings { Domain = "a-empty.test" });
        Assert.Null(await QueryPathWarmUp.AskAsync(grid.Grains, Sealed.IsSealable));

        const string site = "b-busy.test";
        await grid.Grains.GetGrain<ISiteGrain>(site).RegisterAsync(new SiteSettings { Domain = site });
        var first = new DateTime(2026, 3, 9, 10, 0, 0, DateTimeKind.Utc);
        // Today's segment is open (and active, being appended to): the last sealed day is asked about instead.
        await grid.Log.DeliverAsync([TestEvents.Pageview("P", first, "/", site), TestEvents.Pageview("P", first.AddDays(1), "/", site),
            TestEvents.Pageview("Q", DateTime.UtcNow.AddSeconds(-5), "/", site)]);
        var last = grid.Grains.GetGrain<ISegmentGrain>(SegmentKey.Of(site, first.AddDays(1)).ToString());
        await last.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        var management = grid.Grains.GetGrain<IManagementGrain>(0);
        await Poll.UntilAsync(async () => !(await management.GetActiveGrains(last.GetGrainId().Type)).Contains(last.GetGrainId()), TimeSpan.FromSeconds(30), "the segment's deactivation");

        Assert.Equal("b-busy.test, 2026-03-10", await QueryPathWarmUp.AskAsync(grid.Grains, Sealed.IsSealable));
        Assert.Contains(last.GetGrainId(), await management.GetActiveGrains(last.GetGrainId().Type));
    }
}
