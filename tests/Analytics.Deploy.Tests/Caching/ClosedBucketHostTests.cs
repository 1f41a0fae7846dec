using System.Net.Http.Json;
using System.Text.Json;
using Analytics.Deploy.Tests.Support;
using Analytics.Gateway.Api;
using Analytics.GrainInterfaces.Metrics;
using Analytics.Grains.Metrics;
using Analytics.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Analytics.Deploy.Tests.Caching;

/// <summary>
/// Closed buckets in the cache, through the whole query path of the embedded host: every bucket grain call is counted, so a
/// query over a closed period that is not a cached result (a new filter) must be answered without asking a bucket grain.
/// </summary>
public sealed class ClosedBucketHostTests
{
    private const string Site = "buckets.test";
    private static readonly string[] January = ["2020-01-01", "2020-01-31"];
    private static readonly DateTime Fifteenth = new(2020, 1, 15, 10, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("Memory")]
    [InlineData("Redis")]
    public async Task Closed_buckets_are_served_from_the_cache_and_late_writes_and_rebuilds_replace_them(string provider)
    {
        if (provider == "Redis" && !ServicePorts.RedisAvailable())
        {
            return;
        }

        var prefix = $"analytics-test:{Guid.NewGuid():N}:";
        var slices = new SliceCallCounter();
        await using var app = new EmbeddedCacheHost(
            new Dictionary<string, string?>
            {
                ["Analytics:Cache:Provider"] = provider,
                ["Analytics:Cache:RedisConnectionString"] = $"127.0.0.1:{ServicePorts.Redis}",
                ["Analytics:Cache:KeyPrefix"] = prefix,
                // A busy machine's first Redis connect can outlast 250 ms; a dropped write is a miss, not what this test is about.
                ["Analytics:Cache:OperationTimeout"] = "00:00:05",
            },
            services => services.AddSingleton<IIncomingGrainCallFilter>(slices));
        var http = app.CreateClient();
        await app.RegisterAsync(http, Site);
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        await ApplyAsync(grains, Fifteenth, ("/a", "v1"), ("/a", "v2"), ("/b", "v1"));
        await ApplyAsync(grains, Fifteenth.AddDays(1), ("/b", "v3"));

        // First question over January: the two written days were cached by their writes (they are closed); the 29 others
        // are asked once, and being closed, write their entries.
        var totals = await QueryAsync(http, new { site_id = Site, metrics = new[] { "pageviews", "visitors" }, date_range = January });
        Assert.Equal("4/3", totals.Rows[""]);
        Assert.Equal(29, slices.Count);

        // A new question over the same closed days: not a cached result, yet no bucket grain is asked.
        var pages = await QueryAsync(http, new { site_id = Site, metrics = new[] { "pageviews", "visitors" }, date_range = January, dimensions = new[] { "event:page" } });
        Assert.Equal("miss", pages.Cache);
        Assert.Equal(["/a=2/2", "/b=2/2"], pages.Rows.Select(r => $"{r.Key}={r.Value}").Order(StringComparer.Ordinal));
        Assert.Equal(29, slices.Count);
        if (provider == "Redis")
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{ServicePorts.Redis}");
            var key = ClosedBucketCache.Key(prefix, BucketKey.Day(Site, new DateOnly(2020, 1, 15)));
            Assert.True(await redis.GetDatabase().KeyExistsAsync(key), key);
        }

        // A late event for a closed day: its grain rewrites the entry, so the cached bucket shows it at once.
        await ApplyAsync(grains, Fifteenth, ("/late", "v4"));
        var late = await QueryAsync(http, new { site_id = Site, metrics = new[] { "pageviews" }, date_range = January, filters = new[] { new object[] { "is", "event:page", new[] { "/late" } } } });
        Assert.Equal("1", late.Rows[""]);
        Assert.Equal(29, slices.Count);

        // A rebuild (here to empty) replaces the entry too.
        await grains.GetGrain<IMetricBucketRebuildGrain>(BucketKey.Day(Site, new DateOnly(2020, 1, 15)).ToString()).RebuildAsync(new MetricBucketState());
        var rebuilt = await QueryAsync(http, new { site_id = Site, metrics = new[] { "pageviews" }, date_range = January, filters = new[] { new object[] { "contains", "event:page", new[] { "/" } } } });
        Assert.Equal("1", rebuilt.Rows[""]);
        Assert.Equal(29, slices.Count);
    }

    [Fact]
    public async Task With_redis_dead_the_bucket_grains_answer_every_query_correctly()
    {
        var slices = new SliceCallCounter();
        await using var app = new EmbeddedCacheHost(
            new Dictionary<string, string?>
            {
                ["Analytics:Cache:Provider"] = "Redis",
                ["Analytics:Cache:RedisConnectionString"] = $"127.0.0.1:{FreePort.Next()}",
            },
            services => services.AddSingleton<IIncomingGrainCallFilter>(slices));
        var http = app.CreateClient();
        await app.RegisterAsync(http, Site);
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        await ApplyAsync(grains, Fifteenth, ("/a", "v1"), ("/b", "v2"));

        var totals = await QueryAsync(http, new { site_id = Site, metrics = new[] { "pageviews", "visitors" }, date_range = January });
        var pages = await QueryAsync(http, new { site_id = Site, metrics = new[] { "pageviews" }, date_range = January, dimensions = new[] { "event:page" } });

        Assert.Equal("2/2", totals.Rows[""]);
        Assert.Equal(["/a=1", "/b=1"], pages.Rows.Select(r => $"{r.Key}={r.Value}").Order(StringComparer.Ordinal));
        Assert.Equal(2 * 31, slices.Count);
    }

    private static Task ApplyAsync(IGrainFactory grains, DateTime at, params (string Page, string Visitor)[] pageviews) =>
        grains.GetGrain<IMetricBucketGrain>(BucketKey.Day(Site, DateOnly.FromDateTime(at)).ToString())
            .ApplyAsync([.. pageviews.Select(p => Buckets.Pageview(Site, at, p.Page, p.Visitor))]);

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

    /// <summary>Counts calls that reach a bucket grain's GetSliceAsync (each would activate the grain if it were not active).</summary>
    private sealed class SliceCallCounter : IIncomingGrainCallFilter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.Grain is MetricBucketGrain && context.InterfaceMethod.Name == nameof(IMetricBucketGrain.GetSliceAsync))
            {
                Interlocked.Increment(ref _count);
            }

            return context.Invoke();
        }
    }
}
