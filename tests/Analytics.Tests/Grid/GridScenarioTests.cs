using Analytics.Gateway.Query;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Lanes;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Analytics.GrainInterfaces.Sites;
using Analytics.Grains.Segments;
using Analytics.Testing;
using Orleans.Core.Internal;

namespace Analytics.Tests.Grid;

/// <summary>Events in through the real grains, exact numbers out, on a scenario computed by hand.</summary>
public sealed class GridScenarioTests(GridFixture grid) : IClassFixture<GridFixture>
{
    private static readonly DateTime Day = new(2026, 3, 10, 0, 0, 0, DateTimeKind.Unspecified);
    private static readonly string[] AllMetrics =
        [MetricNames.Visitors, MetricNames.Visits, MetricNames.Pageviews, MetricNames.Events, MetricNames.BounceRate, MetricNames.VisitDuration, MetricNames.ViewsPerVisit];

    /// <summary>
    /// A: / 12:00, /pricing 12:05, Signup 12:06 (one visit, not a bounce, 360 s).
    /// B: / 12:10 from Google (bounce), /blog 13:00 (a new visit, bounce).
    /// C: /pricing 12:20, engagement 12:22 (bounce, 120 s).
    /// Totals: 3 visitors, 4 visits, 5 pageviews, 1 event, 3 bounces (75%), 480 s / 4 visits = 120 s, 1.25 views per visit.
    /// </summary>
    private static IReadOnlyList<(string Visitor, TrackedEvent Event)> Scenario(string site)
    {
        var noon = new DateTime(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc);
        return
        [
            ("A", TestEvents.Pageview("A", noon, "/", site)),
            ("A", TestEvents.Pageview("A", noon.AddMinutes(5), "/pricing", site)),
            ("A", TestEvents.Custom("A", noon.AddMinutes(6), "Signup", "/pricing", site)),
            ("B", TestEvents.Pageview("B", noon.AddMinutes(10), "/", site, source: "Google")),
            ("B", TestEvents.Pageview("B", noon.AddMinutes(60), "/blog", site)),
            ("C", TestEvents.Pageview("C", noon.AddMinutes(20), "/pricing", site)),
            ("C", TestEvents.Engagement("C", noon.AddMinutes(22), 120_000, "/pricing", site)),
        ];
    }

    /// <summary>Into the silo's event log, as the gateway would put them; done once the stream delivered them.</summary>
    private Task TrackAsync(IEnumerable<(string Visitor, TrackedEvent Event)> events) => grid.Log.DeliverAsync(events.Select(e => e.Event));

    /// <summary>A Stats API v2 query over local days [first, last] (or UTC hours with <paramref name="hourly"/>), as the gateway builds it.</summary>
    private Task<QueryResult> QueryAsync(string site, IReadOnlyList<string> metrics, string? breakdown = null, string? time = null, bool hourly = false,
        IReadOnlyList<DimensionFilter>? filters = null, DateTime? first = null, DateTime? last = null, string timezone = "Etc/UTC")
    {
        var zone = TimeZones.Find(timezone);
        var (from, to) = hourly
            ? (first!.Value, last!.Value.AddHours(1))
            : (DateRangeResolver.StartOfDayUtc(DateOnly.FromDateTime(first ?? Day), zone), DateRangeResolver.StartOfDayUtc(DateOnly.FromDateTime(last ?? Day).AddDays(1), zone));
        return grid.Grains.GetGrain<ISiteGrain>(site).RunAsync(new StatsQuery
        {
            Site = site,
            Metrics = metrics,
            Dimensions = [.. new[] { time, breakdown }.OfType<string>()],
            FromUtc = from,
            ToUtc = to,
            Timezone = timezone,
            Filter = filters is null ? null : new AndFilter([.. filters]),
        });
    }

    private static Dictionary<string, double[]> ByValue(QueryResult result) =>
        result.Rows.ToDictionary(r => r.Dimensions[^1], r => r.Metrics.ToArray());

    [Fact]
    public async Task Totals_match_the_hand_computed_scenario()
    {
        await TrackAsync(Scenario("totals.test"));

        var result = await QueryAsync("totals.test", AllMetrics);

        Assert.Equal([3, 4, 5, 6, 75, 120, 1.25], result.Rows.Single().Metrics); // events: 5 pageviews + 1 custom event
    }

    [Fact]
    public async Task Breakdowns_match_the_hand_computed_scenario()
    {
        const string site = "breakdowns.test";
        await TrackAsync(Scenario(site));

        var pages = ByValue(await QueryAsync(site, [MetricNames.Visitors, MetricNames.Pageviews], Dimensions.Page));
        Assert.Equal([2, 2], pages["/"]);
        Assert.Equal([2, 2], pages["/pricing"]);
        Assert.Equal([1, 1], pages["/blog"]);

        var entries = ByValue(await QueryAsync(site, [MetricNames.Visits, MetricNames.BounceRate], Dimensions.EntryPage));
        Assert.Equal([2, 50], entries["/"]);
        Assert.Equal([1, 100], entries["/pricing"]);
        Assert.Equal([1, 100], entries["/blog"]);

        var exits = ByValue(await QueryAsync(site, [MetricNames.Visits], Dimensions.ExitPage));
        Assert.Equal(2, exits["/pricing"][0]);
        Assert.Equal(1, exits["/"][0]);
        Assert.Equal(1, exits["/blog"][0]);

        var sources = ByValue(await QueryAsync(site, [MetricNames.Visits, MetricNames.Visitors], Dimensions.Source));
        Assert.Equal([3, 3], sources["Direct / None"]);
        Assert.Equal([1, 1], sources["Google"]);

        var customEvents = ByValue(await QueryAsync(site, [MetricNames.Events, MetricNames.Visitors], Dimensions.Name));
        Assert.Equal([1, 1], customEvents["Signup"]);

        // Ordered biggest first by the first metric, ties by value.
        var ordered = await QueryAsync(site, [MetricNames.Visits], Dimensions.EntryPage);
        Assert.Equal(["/", "/blog", "/pricing"], ordered.Rows.Select(r => r.Dimensions[0]));
    }

    [Fact]
    public async Task Hourly_series_places_events_in_their_hours()
    {
        const string site = "hourly.test";
        await TrackAsync(Scenario(site));

        var result = await QueryAsync(site, [MetricNames.Pageviews, MetricNames.Visitors], time: "time:hour", hourly: true,
            first: new DateTime(2026, 3, 10, 0, 0, 0, DateTimeKind.Utc), last: new DateTime(2026, 3, 10, 23, 0, 0, DateTimeKind.Utc));

        // Only hours with data come back; the gateway fills the rest from the range's time labels.
        Assert.All(result.Rows, r => Assert.True(r.Metrics[0] > 0));
        var byHour = result.Rows.ToDictionary(r => r.Dimensions[0], r => r.Metrics.ToArray());
        Assert.Equal([4, 3], byHour["2026-03-10 12:00:00"]);
        Assert.Equal([1, 1], byHour["2026-03-10 13:00:00"]);
        Assert.Equal(5, result.Rows.Sum(r => r.Metrics[0]));
    }

    [Fact]
    public async Task A_filter_without_breakdown_reads_the_matching_rows()
    {
        const string site = "filter.test";
        await TrackAsync(Scenario(site));

        var google = await QueryAsync(site, [MetricNames.Visitors, MetricNames.Visits], filters: [new DimensionFilter(FilterOperator.Is, Dimensions.Source, ["Google"])]);
        Assert.Equal([1, 1], google.Rows.Single().Metrics);

        var notGoogle = await QueryAsync(site, [MetricNames.Visits], filters: [new DimensionFilter(FilterOperator.IsNot, Dimensions.Source, ["Google"])]);
        Assert.Equal(3, notGoogle.Rows.Single().Metrics[0]);

        var pricing = await QueryAsync(site, [MetricNames.Pageviews], Dimensions.Page, filters: [new DimensionFilter(FilterOperator.Contains, Dimensions.Page, ["pric"])]);
        Assert.Equal("/pricing", pricing.Rows.Single().Dimensions[0]);
    }

    [Fact]
    public async Task Redelivered_events_count_once()
    {
        const string site = "redelivery.test";
        var events = Scenario(site);
        await TrackAsync(events);
        await TrackAsync(events);
        await TrackAsync(events.Reverse());

        var result = await QueryAsync(site, AllMetrics);

        Assert.Equal([3, 4, 5, 6, 75, 120, 1.25], result.Rows.Single().Metrics); // events: 5 pageviews + 1 custom event
    }

    [Fact]
    public async Task A_lane_that_dies_between_its_segment_appends_and_its_checkpoint_counts_nothing_twice()
    {
        const string site = "crash.test";
        var events = Scenario(site);

        // The first lane to finish a batch of these events fails its checkpoint after its rows are in the segments: it
        // forgets what it computed, the stream redelivers, it restores the previous checkpoint and sessionizes again.
        grid.Faults.FailNextWrites(1);
        await TrackAsync(events);

        Assert.Equal(1, grid.Faults.Failed);
        var result = await QueryAsync(site, AllMetrics);
        Assert.Equal([3, 4, 5, 6, 75, 120, 1.25], result.Rows.Single().Metrics); // events: 5 pageviews + 1 custom event
    }

    [Fact]
    public async Task A_site_erased_after_its_lanes_found_it_live_gets_nothing_of_its_events_in_flight()
    {
        const string site = "erased-in-flight.test";
        var registered = grid.Grains.GetGrain<ISiteGrain>(site);
        await registered.RegisterAsync(new SiteSettings { Domain = site });
        // The lanes that took these found the site not erased, an answer they keep for a while.
        await TrackAsync(Scenario(site));
        Assert.Equal(5, (await QueryAsync(site, [MetricNames.Pageviews])).Rows.Single().Metrics[0]);

        Assert.True(await registered.DeleteAsync());
        // Accepted before the gateways learned of the erasure: the same visitors, so the same lanes.
        await TrackAsync(Scenario(site));

        var management = grid.Grains.GetGrain<IManagementGrain>(0);
        var lanes = await management.GetActiveGrains(grid.Grains.GetGrain<ILaneGrain>("0").GetGrainId().Type);
        Assert.NotEmpty(lanes);
        foreach (var lane in lanes)
        {
            var stored = await grid.LaneStates.ReadAsync(lane.Key.ToString()!, CancellationToken.None);
            Assert.DoesNotContain(stored.Sessions, s => s.Site == site);
        }

    }

    [Fact]
    public async Task An_open_segment_compacted_and_activated_again_keeps_its_numbers_and_answers_realtime()
    {
        const string site = "today.test";
        // Seconds in the past: realtime reads up to the moment it is asked.
        var now = DateTime.UtcNow.AddSeconds(-5);
        // Three calls, three flushes, three batches: the second folds the first two into one payload.
        await TrackAsync([("X", TestEvents.Pageview("X", now, "/", site))]);
        await TrackAsync([("Y", TestEvents.Pageview("Y", now.AddSeconds(1), "/", site))]);
        await TrackAsync([("X", TestEvents.Pageview("X", now.AddSeconds(2), "/next", site))]);
        var today = DateTime.SpecifyKind(now.Date, DateTimeKind.Unspecified);
        var metrics = new[] { MetricNames.Visitors, MetricNames.Visits, MetricNames.Pageviews };

        Assert.Equal([2, 2, 3], (await QueryAsync(site, metrics, first: today, last: today)).Rows.Single().Metrics);
        Assert.Equal(2, await grid.Grains.GetGrain<ISiteGrain>(site).GetRealtimeVisitorsAsync());

        // Dropped from memory, the segment comes back from its compacted payload and the batch after it.
        var segment = grid.Grains.GetGrain<ISegmentGrain>(SegmentKey.Of(site, now).ToString());
        await segment.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        var management = grid.Grains.GetGrain<IManagementGrain>(0);
        await Poll.UntilAsync(async () => !(await management.GetActiveGrains(segment.GetGrainId().Type)).Contains(segment.GetGrainId()), TimeSpan.FromSeconds(30), "the segment's deactivation");

        Assert.Equal([2, 2, 3], (await QueryAsync(site, metrics, first: today, last: today)).Rows.Single().Metrics);
        // Redelivered after the restart: nothing counted twice.
        await TrackAsync([("Y", TestEvents.Pageview("Y", now.AddSeconds(1), "/", site))]);
        Assert.Equal(2, await grid.Grains.GetGrain<ISiteGrain>(site).GetRealtimeVisitorsAsync());
    }

    [Fact]
    public async Task Local_days_follow_the_site_time_zone_across_daylight_saving()
    {
        const string site = "berlin.test";
        const string zone = "Europe/Berlin";
        // 2026-03-29 is the spring-forward day in Berlin: 00:30 local is 23:30 UTC the day before; that day has 23 hours.
        var events = new[]
        {
            ("X", TestEvents.Pageview("X", new DateTime(2026, 3, 28, 23, 30, 0, DateTimeKind.Utc), "/", site, timezone: zone)),
            ("Y", TestEvents.Pageview("Y", new DateTime(2026, 3, 29, 21, 59, 0, DateTimeKind.Utc), "/", site, timezone: zone)),
            ("Z", TestEvents.Pageview("Z", new DateTime(2026, 3, 29, 22, 0, 0, DateTimeKind.Utc), "/", site, timezone: zone)),
        };
        await TrackAsync(events);
        var day = new DateTime(2026, 3, 29);

        var daily = await QueryAsync(site, [MetricNames.Pageviews], first: day, last: day, timezone: zone);
        Assert.Equal(2, daily.Rows.Single().Metrics[0]);

        var hourly = await QueryAsync(site, [MetricNames.Pageviews], time: "time:hour", hourly: true,
            first: new DateTime(2026, 3, 28, 23, 0, 0, DateTimeKind.Utc), last: new DateTime(2026, 3, 29, 21, 0, 0, DateTimeKind.Utc), timezone: zone);
        Assert.Equal(["2026-03-29 00:00:00", "2026-03-29 23:00:00"], hourly.Rows.Select(r => r.Dimensions[0]).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(1, hourly.Rows.Single(r => r.Dimensions[0] == "2026-03-29 00:00:00").Metrics[0]);
        Assert.Equal(1, hourly.Rows.Single(r => r.Dimensions[0] == "2026-03-29 23:00:00").Metrics[0]);
        Assert.DoesNotContain(hourly.Rows, r => r.Dimensions[0].StartsWith("2026-03-29 02:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unique_visitors_over_several_days_are_merged_not_added()
    {
        const string site = "merge.test";
        var monday = new DateTime(2026, 3, 9, 10, 0, 0, DateTimeKind.Utc);
        var events = new List<(string, TrackedEvent)>();
        foreach (var visitor in new[] { "P", "Q" })
        {
            for (var day = 0; day < 3; day++)
            {
                events.Add((visitor, TestEvents.Pageview(visitor, monday.AddDays(day), "/", site)));
            }
        }

        await TrackAsync(events);

        var result = await QueryAsync(site, [MetricNames.Visitors, MetricNames.Visits], first: new DateTime(2026, 3, 9), last: new DateTime(2026, 3, 11));
        Assert.Equal([2, 6], result.Rows.Single().Metrics);
    }

    [Fact]
    public async Task Registration_is_listed_and_settings_are_kept()
    {
        var stored = await grid.Grains.GetGrain<ISiteGrain>("settings.test").RegisterAsync(new SiteSettings { Domain = "ignored", Timezone = "Asia/Tokyo", Cookieless = true });

        Assert.Equal("settings.test", stored.Domain);
        Assert.Equal(stored, await grid.Grains.GetGrain<ISiteGrain>("settings.test").GetSettingsAsync());
        Assert.Contains("settings.test", await grid.Grains.GetGrain<ISiteRegistryGrain>(0).ListAsync());
        Assert.Null(await grid.Grains.GetGrain<ISiteGrain>("never-registered.test").GetSettingsAsync());
    }
}
