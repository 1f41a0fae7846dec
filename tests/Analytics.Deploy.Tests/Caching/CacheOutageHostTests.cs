using System.Net.Http.Json;
using System.Text.Json;
using Analytics.Deploy.Tests.Support;
using Analytics.Gateway.Api;
using Analytics.Testing;

namespace Analytics.Deploy.Tests.Caching;

/// <summary>The whole query path (HTTP → cache → grains) in the embedded host, with the cache healthy and with it gone.</summary>
public sealed class CacheOutageHostTests
{
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

    [Fact]
    public async Task Queries_are_answered_correctly_while_the_redis_cache_is_unreachable()
    {
        await using var app = new EmbeddedCacheHost(new Dictionary<string, string?>
        {
            ["Analytics:Cache:Provider"] = "Redis",
            ["Analytics:Cache:RedisConnectionString"] = $"127.0.0.1:{FreePort.Next()}",
        });
        var http = app.CreateClient();
        await app.RegisterAsync(http, "outage.test");
        for (var i = 0; i < 3; i++)
        {
            var beacon = new HttpRequestMessage(HttpMethod.Post, "/api/event")
            {
                Content = JsonContent.Create(new { name = "pageview", url = $"https://outage.test/p{i}", domain = "outage.test" }),
            };
            beacon.Headers.TryAddWithoutValidation("User-Agent", Chrome);
            Assert.Equal(System.Net.HttpStatusCode.Accepted, (await http.SendAsync(beacon)).StatusCode);
        }

        // Open range (today): the grains, every time.
        var today = await Poll.UntilAsync(() => QueryAsync(http, "outage.test", "day"), r => r.Pageviews == 3, TimeSpan.FromSeconds(30), "3 pageviews");
        Assert.Equal("bypass", today.Cache);

        // Closed range: the cache is asked (and fails), the grains answer; never an error.
        for (var i = 0; i < 6; i++)
        {
            var closed = await QueryAsync(http, "outage.test", new[] { "2020-01-01", "2020-01-31" });
            Assert.Equal(0, closed.Pageviews);
            Assert.Equal("miss", closed.Cache);
        }
    }

    [Fact]
    public async Task With_the_in_memory_cache_a_closed_range_is_served_from_it()
    {
        await using var app = new EmbeddedCacheHost(new Dictionary<string, string?>());
        var http = app.CreateClient();
        await app.RegisterAsync(http, "memory.test");

        var range = new[] { "2020-01-01", "2020-01-31" };
        Assert.Equal("miss", (await QueryAsync(http, "memory.test", range)).Cache);
        Assert.Equal("hit", (await QueryAsync(http, "memory.test", range)).Cache);
        Assert.Equal("bypass", (await QueryAsync(http, "memory.test", "day")).Cache);
    }

    private static async Task<(double Pageviews, string? Cache)> QueryAsync(HttpClient http, string site, object range)
    {
        var response = await http.PostAsJsonAsync("/api/v2/query", new { site_id = site, metrics = new[] { "pageviews" }, date_range = range });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        var rows = body.GetProperty("results");
        var pageviews = rows.GetArrayLength() == 0 ? 0 : rows[0].GetProperty("metrics")[0].GetDouble();
        return (pageviews, response.Headers.TryGetValues(QueryApi.CacheHeader, out var values) ? values.Single() : null);
    }
}
