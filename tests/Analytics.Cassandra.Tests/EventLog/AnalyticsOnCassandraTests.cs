using System.Globalization;
using Analytics.Cassandra.EventLog;
using Analytics.Cassandra.Tests.Support;
using Analytics.Gateway.Query;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Analytics.GrainInterfaces.Sites;
using Analytics.Grains.Reaggregation;
using Analytics.Grains.Segments;
using Analytics.Testing;
using Orleans.TestingHost;

namespace Analytics.Cassandra.Tests.EventLog;

/// <summary>The real grains on Cassandra: events in through the visitors' stream, numbers out through ISiteGrain.</summary>
[Collection(CassandraCollection.Name)]
public sealed class AnalyticsOnCassandraTests(CassandraFixture fixture)
{
    private const string Zone = "Europe/Berlin";
    private static readonly DateOnly Day = new(2026, 1, 14);
    // 23:30 Berlin on the 13th is 22:30 UTC: the scenario crosses both the local and the UTC midnight.
    private static readonly DateTime Start = new(2026, 1, 13, 22, 30, 0, DateTimeKind.Utc);

    private static readonly string[] AllMetrics =
    [
        MetricNames.Visitors, MetricNames.Visits, MetricNames.Pageviews, MetricNames.ViewsPerVisit,
        MetricNames.BounceRate, MetricNames.VisitDuration, MetricNames.Events,
    ];

    [Fact]
    public async Task Numbers_tracked_through_the_grains_survive_a_cluster_restart_and_every_event_is_in_the_raw_log()
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }
        var site = $"e2e-{Guid.NewGuid():N}.test";
        var events = Scenario(site);
        string before;
        var eventLog = Directory.CreateTempSubdirectory("analytics-cassandra-log-").FullName;
        var first = await AnalyticsCluster.StartAsync(fixture, eventLog);
        try
        {
            await RegisterAsync(first, site);
            await TrackAsync(first, events);
            before = await SnapshotAsync(first, site);
            Assert.Contains("visitors=12", before, StringComparison.Ordinal);
        }
        finally
        {
            await AnalyticsCluster.StopAsync(first, keepEventLog: true);
        }

        // The restarted silo is handed the whole log again, as after a lost stream checkpoint: the lanes' checkpoints
        // and the segments (in Cassandra) must recognise every event as one they already counted.
        AnalyticsCluster.ForgetStreamCheckpoints(eventLog);
        var second = await AnalyticsCluster.StartAsync(fixture, eventLog);
        try
        {
            await Analytics.Testing.Poll.UntilAsync(() => AnalyticsCluster.Log(second).DrainedAsync(), TimeSpan.FromSeconds(60), "the restarted silo to be handed the whole log again");
            Assert.Equal(before, await SnapshotAsync(second, site));
        }
        finally
        {
            await AnalyticsCluster.StopAsync(second);
        }

        await using var log = await OpenLogAsync();
        var (fromUtc, toUtc) = (Start.AddDays(-1), Start.AddDays(2));
        var logged = new List<Guid>();
        await foreach (var e in log.ReadRangeAsync(site, fromUtc, toUtc))
        {
            logged.Add(e.Id);
        }
        Assert.Equal(events.Select(e => e.Id).Order(), logged.Order());
    }

    [Fact]
    public async Task Reaggregation_from_the_raw_log_restores_the_live_numbers_of_a_corrupted_segment()
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }
        var site = $"reagg-{Guid.NewGuid():N}.test";
        var cluster = await StartClusterAsync();
        try
        {
            await RegisterAsync(cluster, site);
            await TrackAsync(cluster, Scenario(site));
            var live = await SnapshotAsync(cluster, site);

            // Corrupt a segment: a phantom session with seven pageviews, out of nowhere.
            var at = Start.AddHours(2);
            const ulong phantom = 42;
            var session = new SessionRow
            {
                SessionId = 4242, Visitor = phantom, Start = at, End = at.AddMinutes(1), Version = 7, EntryPage = "/", ExitPage = "/", Hostname = site,
                Pageviews = 7, Events = 7, Source = "Phantom", Channel = "Referral", Device = "Desktop", Browser = "Chrome", BrowserVersion = "1",
                Os = "Linux", OsVersion = "1", Country = "DE",
            };
            await cluster.GrainFactory.GetGrain<ISegmentGrain>(SegmentKey.Of(site, at).ToString()).AppendAsync(
            [
                new SegmentAppend
                {
                    Producer = phantom,
                    Sequence = 1,
                    Events = [.. Enumerable.Range(0, 7).Select(i => new EventRow
                    {
                        Timestamp = at.AddSeconds(i), Name = EventNames.Pageview, Pathname = "/", Hostname = site, Visitor = phantom, Session = session.SessionId,
                    })],
                    Sessions = [session],
                },
            ]);
            Assert.NotEqual(live, await SnapshotAsync(cluster, site));

            await using var log = await OpenLogAsync();
            var result = await new Reaggregator(log, cluster.GrainFactory).RunAsync(site, Day.AddDays(-1), Day.AddDays(1));

            Assert.Equal(Scenario(site).Count, result.EventsRead);
            // Berlin's 13th to 15th are 12 Jan 23:00 to 15 Jan 23:00 UTC: four UTC days.
            Assert.Equal(4, result.SegmentsWritten);
            Assert.Equal(live, await SnapshotAsync(cluster, site));
        }
        finally
        {
            await StopAsync(cluster);
        }
    }

    /// <summary>
    /// 12 visitors: bounces, multi-page sessions, a session split by a 30-minute gap, a custom event that ends a bounce,
    /// engagement, sessions crossing local and UTC midnight, out-of-order delivery per batch, and a redelivered event.
    /// </summary>
    private static List<TrackedEvent> Scenario(string site)
    {
        var events = new List<TrackedEvent>();
        for (var v = 0; v < 12; v++)
        {
            var visitor = $"visitor-{v}";
            var at = Start.AddMinutes(v * 17);
            var source = (v % 3) switch { 0 => "Google", 1 => "Direct / None", _ => "Newsletter" };
            events.Add(TestEvents.Pageview(visitor, at, "/", site, source, timezone: Zone));
            if (v % 2 == 0)
            {
                events.Add(TestEvents.Pageview(visitor, at.AddMinutes(3), "/pricing", site, source, timezone: Zone));
                events.Add(TestEvents.Engagement(visitor, at.AddMinutes(5), 5000, site: site, timezone: Zone));
            }
            if (v % 3 == 1)
            {
                events.Add(TestEvents.Custom(visitor, at.AddMinutes(1), "Signup", site: site, timezone: Zone));
            }
            if (v % 4 == 3)
            {
                events.Add(TestEvents.Pageview(visitor, at.AddMinutes(45), "/blog", site, "Google", timezone: Zone)); // a second session
            }
        }
        return events;
    }

    /// <summary>Each visitor's first event, then all of them (the first again: a redelivery), through the silo's stream.</summary>
    private static async Task TrackAsync(TestCluster cluster, IReadOnlyList<TrackedEvent> events)
    {
        var log = AnalyticsCluster.Log(cluster);
        var visitors = events.GroupBy(e => e.VisitorKey).Select(v => v.OrderBy(e => e.Timestamp).ToList()).ToList();
        await log.DeliverAsync(visitors.Select(v => v[0]));
        await log.DeliverAsync(visitors.SelectMany(v => v));
    }

    private static Task RegisterAsync(TestCluster cluster, string site) =>
        cluster.GrainFactory.GetGrain<ISiteGrain>(site).RegisterAsync(new SiteSettings { Domain = site, Timezone = Zone });

    /// <summary>Totals, daily and hourly series and breakdowns over the three local days around the scenario.</summary>
    private static async Task<string> SnapshotAsync(TestCluster cluster, string site)
    {
        var grain = cluster.GrainFactory.GetGrain<ISiteGrain>(site);
        var first = Day.AddDays(-1).ToDateTime(TimeOnly.MinValue);
        var last = Day.AddDays(1).ToDateTime(TimeOnly.MinValue);
        var lines = new List<string>();
        var totals = await grain.RunAsync(Query(site, Granularity.Day, first, last));
        lines.Add(string.Join(' ', AllMetrics.Zip(totals.Rows.Single().Metrics, (m, x) => FormattableString.Invariant($"{m}={x}"))));
        lines.Add(Format(await grain.RunAsync(Query(site, Granularity.Day, first, last, time: "time:day"))));
        lines.Add(Format(await grain.RunAsync(Query(site, Granularity.Hour, Start.AddHours(-2), Start.AddHours(6), time: "time:hour"))));
        foreach (var dimension in new[] { Dimensions.Source, Dimensions.EntryPage, Dimensions.ExitPage, Dimensions.Page, Dimensions.Name })
        {
            var metrics = dimension is Dimensions.Page or Dimensions.Name
                ? [MetricNames.Visitors, MetricNames.Pageviews, MetricNames.Events]
                : dimension == Dimensions.ExitPage ? [MetricNames.Visitors, MetricNames.Visits] : AllMetrics;
            lines.Add(Format(await grain.RunAsync(Query(site, Granularity.Day, first, last, breakdown: dimension, metrics: metrics))));
        }
        return string.Join('\n', lines);
    }

    /// <summary>A Stats API v2 query over local days [first, last], or UTC hours [first, last] when hourly.</summary>
    private static StatsQuery Query(string site, Granularity granularity, DateTime first, DateTime last, string? time = null, string? breakdown = null,
        IReadOnlyList<string>? metrics = null)
    {
        var zone = TimeZones.Find(Zone);
        var (from, to) = granularity == Granularity.Hour
            ? (DateTime.SpecifyKind(first, DateTimeKind.Utc), DateTime.SpecifyKind(last, DateTimeKind.Utc).AddHours(1))
            : (DateRangeResolver.StartOfDayUtc(DateOnly.FromDateTime(first), zone), DateRangeResolver.StartOfDayUtc(DateOnly.FromDateTime(last).AddDays(1), zone));
        return new StatsQuery
        {
            Site = site,
            Metrics = metrics ?? AllMetrics,
            Dimensions = [.. new[] { time, breakdown }.OfType<string>()],
            FromUtc = from,
            ToUtc = to,
            Timezone = Zone,
        };
    }

    private static string Format(QueryResult result) => string.Join(" | ", result.Rows.Select(r =>
        string.Join(',', r.Dimensions) + ":" + string.Join(',', r.Metrics.Select(m => m.ToString(CultureInfo.InvariantCulture)))));

    private async Task<CassandraRawEventLog> OpenLogAsync()
    {
        var log = new CassandraRawEventLog(new CassandraRawEventLogOptions { Client = fixture.ClientOptions(), Keyspace = fixture.Keyspace, GroupCommit = false });
        await log.StartAsync(CancellationToken.None);
        return log;
    }

    private Task<TestCluster> StartClusterAsync() => AnalyticsCluster.StartAsync(fixture);

    private static Task StopAsync(TestCluster cluster) => AnalyticsCluster.StopAsync(cluster);
}
