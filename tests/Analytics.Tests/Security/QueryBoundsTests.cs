using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Analytics.Tests.Security;

/// <summary>One request cannot take the server: query work and answer size are bounded, and reads are rate-limited per credential.</summary>
public sealed class QueryBoundsTests(SecurityAppFactory app) : IClassFixture<SecurityAppFactory>
{
    private const string Site = "bounded.test";

    [Fact]
    public async Task Repeated_metrics_and_oversized_queries_are_refused_with_400_before_any_work()
    {
        await app.RegisterAsync(Site);
        using var http = await ClientWithNewKeyAsync("bounds");
        var metrics = string.Join(",", Enumerable.Repeat("\"visitors\"", 10_000));
        var clock = Stopwatch.StartNew();
        await AssertBadRequestAsync(http, $$"""{"site_id":"{{Site}}","metrics":[{{metrics}}],"date_range":["2016-01-01","2025-12-31"],"dimensions":["time:day"]}""", "twice");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"the refusal took {clock.Elapsed}");
        await AssertBadRequestAsync(http, $$"""{"site_id":"{{Site}}","metrics":["visitors","visitors"],"date_range":"day"}""", "twice");

        // Ten years by day with a breakdown and every metric: more work than one query may ask for.
        await AssertBadRequestAsync(http,
            $$"""{"site_id":"{{Site}}","metrics":["visitors","visits","pageviews","views_per_visit","bounce_rate","visit_duration"],"date_range":["2016-01-01","2025-12-31"],"dimensions":["visit:source","time:day"]}""",
            "too large");

        // The same span without the breakdown is within bounds.
        using var fine = await http.PostAsync("/api/v2/query", Json($$"""{"site_id":"{{Site}}","metrics":["visitors","pageviews"],"date_range":["2016-01-01","2025-12-31"],"dimensions":["time:day"]}"""));
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task Reads_past_the_per_credential_rate_get_429_problem_and_other_credentials_go_on()
    {
        await app.RegisterAsync(Site);
        using var busy = await ClientWithNewKeyAsync("busy");
        using var other = await ClientWithNewKeyAsync("other");
        var query = $$"""{"site_id":"{{Site}}","metrics":["visitors"],"date_range":"day"}""";
        for (var i = 0; i < SecurityAppFactory.QueriesPerCredential; i++)
        {
            using var ok = await busy.PostAsync("/api/v2/query", Json(query));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var limited = await busy.PostAsync("/api/v2/query", Json(query));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        using var realtime = await busy.GetAsync($"/api/v1/realtime/visitors?site_id={Site}");
        Assert.Equal(HttpStatusCode.TooManyRequests, realtime.StatusCode);

        using var unaffected = await other.PostAsync("/api/v2/query", Json(query));
        Assert.Equal(HttpStatusCode.OK, unaffected.StatusCode);
    }

    private async Task<HttpClient> ClientWithNewKeyAsync(string name)
    {
        using var created = await app.CreateClient().PostAsJsonAsync("/api/keys", new { name, sites = new[] { Site }, permissions = new[] { "stats:read" } });
        created.EnsureSuccessStatusCode();
        var http = app.CreateAnonymousClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString());
        return http;
    }

    private static async Task AssertBadRequestAsync(HttpClient http, string body, string detail)
    {
        using var response = await http.PostAsync("/api/v2/query", Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text[..Math.Min(300, text.Length)]}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, text, StringComparison.Ordinal);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
