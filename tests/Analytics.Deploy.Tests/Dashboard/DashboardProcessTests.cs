using System.Net;
using System.Net.Http.Json;
using System.Text;
using Analytics.Testing;

namespace Analytics.Deploy.Tests.Dashboard;

/// <summary>
/// The standalone dashboard process (cluster profile) in front of a real product process: the embedded profile serves
/// the same public API as a gateway, so whatever the page asks the dashboard must come back as the embedded process
/// answers it directly.
/// </summary>
public sealed class DashboardProcessTests : IAsyncLifetime
{
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

    private readonly string _data = Directory.CreateTempSubdirectory("analytics-dashproc-").FullName;
    private AnalyticsProcess _embedded = null!;
    private AnalyticsProcess _dashboard = null!;

    public async Task InitializeAsync()
    {
        _embedded = AnalyticsProcess.Embedded(_data);
        await _embedded.StartAsync();
        _dashboard = AnalyticsProcess.Dashboard(_embedded.BaseAddress);
        await _dashboard.StartAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        await _embedded.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Serves_the_page_and_forwards_the_public_api_to_its_gateway()
    {
        using var direct = _embedded.CreateClient(TimeSpan.FromSeconds(10));
        using var via = _dashboard.CreateClient(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, (await via.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await via.GetAsync("/alive")).StatusCode);

        // The page, behind this process's own login: the same embedded assets as the co-hosted one.
        using (var anonymous = await via.GetAsync("/dashboard/"))
        {
            Assert.Equal("/login", anonymous.RequestMessage!.RequestUri!.AbsolutePath);
        }

        using var admin = await DashboardLogin.LogInAsync(_dashboard.BaseAddress);
        using var directAdmin = await DashboardLogin.LogInAsync(_embedded.BaseAddress);
        using var page = await admin.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await directAdmin.GetStringAsync("/dashboard/"), await page.Content.ReadAsStringAsync());
        Assert.Equal(await direct.GetByteArrayAsync("/dashboard/app.js"), await via.GetByteArrayAsync("/dashboard/app.js"));

        // A write through the dashboard reaches the gateway (method, body, content type forwarded; status back).
        using (var created = await via.PostAsJsonAsync("/api/sites", new { domain = "dashproc.example", timezone = "Etc/UTC" }))
        {
            Assert.True(created.IsSuccessStatusCode, $"{(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
        }

        using (var sites = await via.GetAsync("/api/sites"))
        {
            Assert.Equal(HttpStatusCode.OK, sites.StatusCode);
            var body = await sites.Content.ReadAsStringAsync();
            Assert.Contains("dashproc.example", body, StringComparison.Ordinal);
            Assert.Equal(await direct.GetStringAsync("/api/sites"), body);
        }

        // A pageview sent through the dashboard (/api/event is under /api), then the same query both ways.
        using (var beacon = new HttpRequestMessage(HttpMethod.Post, "/api/event")
        {
            Content = new StringContent("""{"n":"pageview","u":"https://dashproc.example/pricing","d":"dashproc.example"}""", Encoding.UTF8, "application/json"),
        })
        {
            beacon.Headers.TryAddWithoutValidation("User-Agent", Chrome);
            using var accepted = await via.SendAsync(beacon);
            Assert.True(accepted.IsSuccessStatusCode, $"/api/event: {(int)accepted.StatusCode}");
        }

        const string query = """{"site_id":"dashproc.example","metrics":["visitors","pageviews"],"date_range":"day","dimensions":["event:page"]}""";
        var forwarded = await Poll.UntilAsync(
            () => PostQueryAsync(via, query),
            r => r.Status == HttpStatusCode.OK && r.Body.Contains("/pricing", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            "the pageview in the query result through the dashboard");
        var answered = await PostQueryAsync(direct, query);
        Assert.Equal(answered, forwarded);

        // A logged-in admin's call reaches the gateway with the dashboard's service key (the gateway knows only its hash);
        // without the CSRF token the dashboard refuses it itself.
        Assert.Equal(answered, await PostQueryAsync(admin, query));
        admin.DefaultRequestHeaders.Remove(DashboardLogin.CsrfHeader);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostQueryAsync(admin, query)).Status);

        // Errors come back as the gateway gives them, status and body.
        const string invalid = """{"site_id":"dashproc.example","metrics":["no_such_metric"],"date_range":"day"}""";
        var invalidVia = await PostQueryAsync(via, invalid);
        Assert.Equal(HttpStatusCode.BadRequest, invalidVia.Status);
        // (The problem document's traceId is per request; everything else must match.)
        Assert.Equal(WithoutTraceId(await PostQueryAsync(direct, invalid)), WithoutTraceId(invalidVia));

        // The tracker script is forwarded too; other paths are not.
        Assert.Equal(await direct.GetByteArrayAsync("/js/script.js"), await via.GetByteArrayAsync("/js/script.js"));
        Assert.Equal(HttpStatusCode.NotFound, (await via.GetAsync("/orleans")).StatusCode);

        // The body bound: a 2 MB query is refused by the dashboard itself.
        using var huge = await via.PostAsync("/api/v2/query", new StringContent(new string(' ', 2 * 1024 * 1024) + "{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
    }

    private static async Task<QueryAnswer> PostQueryAsync(HttpClient http, string json)
    {
        using var response = await http.PostAsync("/api/v2/query", new StringContent(json, Encoding.UTF8, "application/json"));
        return new QueryAnswer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private static QueryAnswer WithoutTraceId(QueryAnswer answer) =>
        answer with { Body = System.Text.RegularExpressions.Regex.Replace(answer.Body, "\"traceId\":\"[^\"]*\"", "\"traceId\":\"\"") };

    private sealed record QueryAnswer(HttpStatusCode Status, string? ContentType, string Body);
}
