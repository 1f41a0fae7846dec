using System.Net.Http.Json;
using System.Text.Json;
using Analytics.Abstractions.Caching;
using Analytics.Deploy.Tests.Support;
using Analytics.Gateway.Api;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Segments;
using Analytics.GrainInterfaces.Sketches;
using Analytics.Grains.Segments;
using Analytics.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Analytics.Deploy.Tests.Caching;

/// <summary>
/// Sealed segments in the cache, through the whole query path of the embedded host: every segment grain scan is counted,
/// so a query over sealed days that is not a cached result (a new dimension) must be answered without asking a segment grain.
/// </summary>
public sealed class SealedSegmentHostTests
{
    private const string Site = "segments.test";
    private static readonly string[] January = ["2020-01-01", "2020-01-31"];
    private static readonly DateTime Fifteenth = new(2020, 1, 15, 10, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static long _sequence;

    [Theory]
    [InlineData("Memory")]
    [InlineData("Redis")]
    public async Task Sealed_segments_are_served_from_the_cache_and_late_appends_and_rebuilds_replace_them(string provider)
    {
        if (provider == "Redis" && !ServicePorts.RedisAvailable())
        {
            return;
        }

        var prefix = $"analytics-test:{Guid.NewGuid():N}:";
        var scans = new ScanCallCounter();
        await using var app = new EmbeddedCacheHost(
            new Dictionary<string, string?>
            {
                ["Analytics:Cache:Provider"] = provider,
                ["Analytics:Cache:RedisConnectionString"] = $"127.0.0.1:{ServicePorts.Redis}",
                ["Analytics:Cache:KeyPrefix"] = prefix,
                // A busy machine's first Redis connect can outlast 250 ms; a dropped write is a miss, not what this test is about.
                ["Analytics:Cache:OperationTimeout"] = "00:00:05",
                ["Analytics:Segments:SealCheckInterval"] = "00:00:00.100",
            },
            services => services.AddSingleton<IIncomingGrainCallFilter>(scans));
        var http = app.CreateClient();
        await app.RegisterAsync(http, Site);
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var cache = app.Services.GetRequiredService<IHotCache>();
        await AppendAsync(grains, Fifteenth, ("/a", "v1"), ("/a", "v2"), ("/b", "v1"));
        await AppendAsync(grains, Fifteenth.AddDays(1), ("/b", "v3"));
        // Past days seal as soon as their timer runs, and put themselves in the cache.
        await SealedAsync(cache, prefix, Fifteenth, Fifteenth.AddDays(1));

        // A question over January: the two written days come from the cache; the 30 days without a segment are not asked.
        var totals = await QueryAsync(http, new { site_id = Site, metrics = new[] { "pageviews", "visitors" }, date_range = January });
        Assert.Equal("4/3", totals.Rows[""]);
        Assert.Equal(0, scans.Count);

        // A new question over the same sealed days: not a cached result, yet no segment grain is asked.
        var pages = await QueryAsync(http, new { site_id = Site, metrics = new[] { "pageviews", "visitors" }, date_range = January, dimensions = new[] { "event:page" } });
        Assert.Equal("miss", pages.Cache);
        Assert.Equal(["/a=2/2", "/b=2/2"], pages.Rows.Select(r => $"{r.Key}={r.Value}").Order(StringComparer.Ordinal));
        Assert.Equal(0, scans.Count);
        if (provider == "Redis")
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{ServicePorts.Redis}");
            var key = SealedSegments.CacheKey(prefix, SegmentKey.Of(Site, Fifteenth));
            Assert.True(await redis.GetDatabase().KeyExistsAsync(key), key);
        }

        // A late event for a sealed day reopens it (its cache entry is emptied at once) and it seals again.
        await AppendAsync(grains, Fifteenth, ("/late", "v4"));
        await SealedAsync(cache, prefix, Fifteenth);
        var late = await QueryAsync(http, new { site_id = Site, metrics = new[] { "pageviews" }, date_range = January, filters = new[] { new object[] { "is", "event:page", new[] { "/late" } } } });
        Assert.Equal("1", late.Rows[""]);
        Assert.Equal(0, scans.Count);

        // A rebuild (here to empty) replaces the entry too.
        await grains.GetGrain<ISegmentGrain>(SegmentKey.Of(Site, Fifteenth).ToString()).RebuildAsync([]);
        var rebuilt = await QueryAsync(http, new { site_id = Site, metrics = new[] { "pageviews" }, date_range = January, filters = new[] { new object[] { "contains", "event:page", new[] { "/" } } } });
        Assert.Equal("1", rebuilt.Rows[""]);
        Assert.Equal(0, scans.Count);
    }

    [Fact]
    public async Task With_redis_dead_the_segment_grains_answer_every_query_correctly()
    {
        var scans = new ScanCallCounter();
        await using var app = RedisDeadHost(scans);
        var http = app.CreateClient();
        await app.RegisterAsync(http, Site);
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        await AppendAsync(grains, Fifteenth, ("/a", "v1"), ("/b", "v2"));

        var totals = await QueryAsync(http, new { site_id = Site, metrics = new[] { "pageviews", "visitors" }, date_range = January });
        var pages = await QueryAsync(http, new { site_id = Site, metrics = new[] { "pageviews" }, date_range = January, dimensions = new[] { "event:page" } });

        Assert.Equal("2/2", totals.Rows[""]);
        Assert.Equal(["/a=1", "/b=1"], pages.Rows.Select(r => $"{r.Key}={r.Value}").Order(StringComparer.Ordinal));
        // Each query asks the one day with a segment.
        Assert.Equal(2, scans.Count);
    }

    [Fact]
    public async Task With_redis_dead_a_sealed_segment_grain_answers_a_repeated_question_from_its_cached_partial()
    {
        var scans = new ScanCallCounter();
        await using var app = RedisDeadHost(scans, ("Analytics:Segments:SealCheckInterval", "00:00:00.100"));
        var http = app.CreateClient();
        await app.RegisterAsync(http, Site);
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var partials = app.Services.GetRequiredService<SealedSegments>().Partials;
        await AppendAsync(grains, Fifteenth, ("/a", "v1"), ("/a", "v2"), ("/b", "v1"));

        // Another page size each time, so no result cache answers. Until the day seals (its timer), every scan is fresh;
        // sealed, the grain answers the same question from the partial it kept.
        var limit = 10;
        object Pages() => new { site_id = Site, metrics = new[] { "pageviews", "visitors" }, date_range = January, dimensions = new[] { "event:page" }, pagination = new { limit = limit++ } };
        await Poll.UntilAsync(
            async () =>
            {
                var hits = partials.Hits;
                await QueryAsync(http, Pages());
                return partials.Hits > hits;
            },
            Patience,
            "a sealed segment grain's answer from its cached partial");

        var scansBefore = scans.Count;
        var hitsBefore = partials.Hits;
        var pages = await QueryAsync(http, Pages());
        Assert.Equal(["/a=2/2", "/b=1/1"], pages.Rows.Select(r => $"{r.Key}={r.Value}").Order(StringComparer.Ordinal));
        Assert.Equal(scansBefore + 1, scans.Count);
        Assert.Equal(hitsBefore + 1, partials.Hits);
    }

    /// <summary>A host whose hot cache is Redis at a port nothing listens on, counting the segment scans in <paramref name="scans"/>.</summary>
    private static EmbeddedCacheHost RedisDeadHost(ScanCallCounter scans, params (string Key, string Value)[] settings)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Analytics:Cache:Provider"] = "Redis",
            ["Analytics:Cache:RedisConnectionString"] = $"127.0.0.1:{FreePort.Next()}",
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        return new EmbeddedCacheHost(configuration, services => services.AddSingleton<IIncomingGrainCallFilter>(scans));
    }

    /// <summary>One pageview (a bouncing session of its own) per (page, visitor), appended to the segment of <paramref name="at"/>.</summary>
    private static Task AppendAsync(IGrainFactory grains, DateTime at, params (string Page, string Visitor)[] pageviews) =>
        grains.GetGrain<ISegmentGrain>(SegmentKey.Of(Site, at).ToString()).AppendAsync([.. pageviews.Select(p =>
        {
            var visitor = VisitorHash.Of(Site, p.Visitor);
            var session = (ulong)Interlocked.Increment(ref _sequence);
            return new SegmentAppend
            {
                Producer = visitor,
                Sequence = (long)session,
                Events = [new EventRow { Timestamp = at, Name = EventNames.Pageview, Pathname = p.Page, Hostname = Site, Visitor = visitor, Session = session }],
                Sessions =
                [
                    new SessionRow
                    {
                        SessionId = session, Visitor = visitor, Start = at, End = at, Version = 1, EntryPage = p.Page, ExitPage = p.Page, Hostname = Site,
                        Pageviews = 1, Events = 1, Bounce = true, Source = "Direct / None", Channel = "Direct", Device = "Desktop", Browser = "Chrome",
                        BrowserVersion = "120", Os = "Linux", OsVersion = "6", Country = "DE",
                    },
                ],
            };
        })]);

    private static Task SealedAsync(IHotCache cache, string prefix, params DateTime[] days) =>
        Poll.UntilAsync(async () => (await cache.GetManyAsync([.. days.Select(d => SealedSegments.CacheKey(prefix, SegmentKey.Of(Site, d)))])).All(v => v is { Length: > 0 }), Patience, "the sealed segments in the cache");

    /// <summary>The rows (breakdown value, or "" without one) with their metrics joined by '/', and the X-Analytics-Cache header.</summary>
    private static async Task<(Dictionary<string, string> Rows, string? Cache)> QueryAsync(HttpClient http, object body)
    {
        var response = await http.PostAsJsonAsync("/api/v2/query", body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        var rows = json.GetProperty("results").EnumerateArray().ToDictionary(
            r => r.GetProperty("dimensions").EnumerateArray().Select(d => d.GetString()).FirstOrDefault() ?? "",
            r => string.Join('/', r.GetProperty("metrics").EnumerateArray().Select(m => m.GetDouble())));
        return (rows, response.Headers.TryGetValues(QueryApi.CacheHeader, out var values) ? values.Single() : null);
    }

    /// <summary>Counts calls that reach a segment grain's ScanAsync (each would activate the grain if it were not active).</summary>
    private sealed class ScanCallCounter : IIncomingGrainCallFilter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.Grain is SegmentGrain && context.InterfaceMethod.Name == nameof(ISegmentGrain.ScanAsync))
            {
                Interlocked.Increment(ref _count);
            }

            return context.Invoke();
        }
    }
}
