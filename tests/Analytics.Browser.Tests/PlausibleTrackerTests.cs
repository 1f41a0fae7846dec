using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Analytics.Browser.Tests;

/// <summary>
/// The proof of the drop-in: Plausible's official npm tracker (@plausible-analytics/tracker, installed by npm ci from
/// package-lock.json, unchanged) in real Chromium, on a page of a registered site, sending to a real embedded grid.
/// What it sends is counted as Plausible documents it, read back through the Stats APIs v2 and v1.
/// </summary>
public sealed class PlausibleTrackerTests(BrowserFixture browser, EmbeddedGridFixture grid)
    : IClassFixture<BrowserFixture>, IClassFixture<EmbeddedGridFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PageviewsSpaNavigationCustomEventsOutboundLinksAndEngagementAreCountedAsPlausibleDocuments()
    {
        await using var session = await browser.OpenAsync();
        if (session is null)
        {
            return;
        }

        var answers = new ConcurrentQueue<IResponse>();
        session.Context.Response += (_, response) =>
        {
            if (response.Url == grid.EventEndpoint)
            {
                answers.Enqueue(response);
            }
        };

        var home = $"{browser.Site.BaseUrl}/p/{session.Id}/home?domain={EmbeddedGridFixture.Site}&endpoint={Uri.EscapeDataString(grid.EventEndpoint)}";
        await session.Page.GotoAsync(home);
        await session.Page.WaitForFunctionAsync("() => window.__ready === true");
        await WaitForAnswersAsync(answers, 1);

        // SPA navigation: the tracker's own history hook sends the next pageview (and the engagement of the first page).
        await session.Page.EvaluateAsync("path => history.pushState({}, '', path)", $"/p/{session.Id}/spa");
        await session.Page.EvaluateAsync("""
            () => Promise.all([
              new Promise(r => track('Signup', { props: { plan: 'pro' }, revenue: { amount: 19.9, currency: 'EUR' }, callback: r })),
              new Promise(r => track('Autoplay', { interactive: false, callback: r })),
            ])
            """);
        // A new tab, so this page lives on and every answer to it can be checked.
        var landing = await session.Page.RunAndWaitForPopupAsync(() => session.Page.ClickAsync("#outbound"));
        Assert.Equal($"http://{TestSite.OutboundHost}:{browser.Site.Port}/landing", landing.Url);

        // pageview, engagement (first page, sent on navigation), pageview, Signup, Autoplay, outbound click.
        var sent = await WaitForAnswersAsync(answers, 6);
        var names = new List<string>();
        foreach (var answer in sent)
        {
            var body = JsonDocument.Parse(answer.Request.PostData!).RootElement;
            names.Add(body.GetProperty("n").GetString()!);
            Assert.Equal(JsonValueKind.Number, body.GetProperty("v").ValueKind); // Plausible's script version, the key that once was a 400
            Assert.Equal(202, answer.Status);
            Assert.False((await answer.AllHeadersAsync()).ContainsKey("x-drop-reason"), answer.Request.PostData);
        }

        Assert.Equal(1, names.Count(n => n == "engagement"));
        Assert.Equal(["Autoplay", "Outbound Link: Click", "Signup", "pageview", "pageview"], names.Where(n => n != "engagement").Order(StringComparer.Ordinal));

        // Plausible's definitions: events = pageviews + custom events (engagement never), one visit that did not bounce.
        var totals = await QueryUntilAsync(
            new { site_id = EmbeddedGridFixture.Site, metrics = new[] { "visitors", "visits", "pageviews", "events", "bounce_rate" }, date_range = "day" },
            r => Metrics(r, 0) is [_, _, 2, 5, _]);
        Assert.Equal([1, 1, 2, 5, 0], Metrics(totals, 0));
        // event:goal is the site's configured goals (Plausible's): the owner adds the three the page sends.
        foreach (var name in new[] { "Signup", "Autoplay", "Outbound Link: Click" })
        {
            using var created = await grid.Http.PostAsJsonAsync($"/api/sites/{EmbeddedGridFixture.Site}/goals", new { event_name = name });
            Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await created.Content.ReadAsStringAsync());
        }

        var goals = await QueryUntilAsync(
            new { site_id = EmbeddedGridFixture.Site, metrics = new[] { "visitors", "events" }, date_range = "day", dimensions = new[] { "event:goal" } },
            r => r.GetProperty("results").GetArrayLength() == 3);
        Assert.Equal(
            new Dictionary<string, double[]> { ["Signup"] = [1, 1], ["Autoplay"] = [1, 1], ["Outbound Link: Click"] = [1, 1] },
            Rows(goals));
        var pages = await QueryUntilAsync(
            new { site_id = EmbeddedGridFixture.Site, metrics = new[] { "pageviews" }, date_range = "day", dimensions = new[] { "event:page" } },
            r => r.GetProperty("results").GetArrayLength() == 2);
        Assert.Equal(new Dictionary<string, double[]> { [$"/p/{session.Id}/home"] = [1], [$"/p/{session.Id}/spa"] = [1] }, Rows(pages));
        // The first page's engagement: the whole (short) page was seen.
        var depth = await QueryUntilAsync(
            new { site_id = EmbeddedGridFixture.Site, metrics = new[] { "scroll_depth" }, date_range = "day", dimensions = new[] { "event:page" }, filters = new[] { new object[] { "is", "event:page", new[] { $"/p/{session.Id}/home" } } } },
            r => Metrics(r, 0) is [> 0]);
        Assert.Equal([100], Metrics(depth, 0));

        // The same numbers through Plausible's Stats API v1, as its clients ask for them.
        var aggregate = await GetV1Async("aggregate?site_id=npm.test&period=day&metrics=visitors,visits,pageviews,events,bounce_rate");
        Assert.Equal(
            new Dictionary<string, double> { ["visitors"] = 1, ["visits"] = 1, ["pageviews"] = 2, ["events"] = 5, ["bounce_rate"] = 0 },
            aggregate.GetProperty("results").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("value").GetDouble()));
        var v1Goals = await GetV1Async("breakdown?site_id=npm.test&period=day&property=event:goal&metrics=events");
        Assert.Equal(
            new Dictionary<string, double> { ["Signup"] = 1, ["Autoplay"] = 1, ["Outbound Link: Click"] = 1 },
            v1Goals.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("goal").GetString()!, r => r.GetProperty("events").GetDouble()));
        Assert.Equal(1, (await GetV1Async("realtime/visitors?site_id=npm.test")).GetInt64());
    }

    private async Task<JsonElement> GetV1Async(string path)
    {
        using var response = await grid.Http.GetAsync("/api/v1/stats/" + path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<IResponse[]> WaitForAnswersAsync(ConcurrentQueue<IResponse> answers, int count) =>
        await Poll.UntilAsync(() => Task.FromResult(answers.ToArray()), a => a.Length >= count, Deadline, $"{count} answers to the tracker; got " + string.Join(" | ", answers.Select(a => a.Request.PostData)));

    private Task<JsonElement> QueryUntilAsync(object query, Func<JsonElement, bool> done) =>
        Poll.UntilAsync(async () =>
        {
            using var response = await grid.Http.PostAsJsonAsync("/api/v2/query", query);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, text);
            return JsonDocument.Parse(text).RootElement.Clone();
        }, done, Deadline, JsonSerializer.Serialize(query));

    private static double[] Metrics(JsonElement result, int row) =>
        result.GetProperty("results").GetArrayLength() > row
            ? [.. result.GetProperty("results")[row].GetProperty("metrics").EnumerateArray().Select(m => m.GetDouble())]
            : [];

    private static Dictionary<string, double[]> Rows(JsonElement result) =>
        result.GetProperty("results").EnumerateArray().ToDictionary(
            r => r.GetProperty("dimensions")[0].GetString()!,
            r => r.GetProperty("metrics").EnumerateArray().Select(m => m.GetDouble()).ToArray());
}
