using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Analytics.Browser.Tests;

/// <summary>The real tracker in real headless Chromium against a recording Kestrel endpoint.</summary>
public sealed partial class TrackerBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    // Overrides visibilityState (headless pages are always visible) and fires the event the tracker listens to.
    private const string HidePage = """
        () => {
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
          document.dispatchEvent(new Event('visibilitychange'));
        }
        """;

    [Fact]
    public async Task PageviewOnLoadCarriesDomainUrlReferrerWidthAndVisitorId()
    {
        await using var session = await fixture.OpenAsync();
        if (session is null)
        {
            return;
        }

        var url = session.PageUrl();
        await session.Page.GotoAsync(url, new PageGotoOptions { Referer = "https://search.example/?q=grid" });

        var pageview = (await session.WaitForCountAsync("pageview", 1)).Single(b => b.Name == "pageview");
        Assert.Equal("test.local", pageview.Get("d")?.GetString());
        Assert.Equal(url, pageview.Url);
        Assert.Equal("https://search.example/?q=grid", pageview.Get("r")?.GetString());
        Assert.Equal(BrowserFixture.ScreenWidth, pageview.Get("w")?.GetInt32());
        Assert.Matches(VisitorIdPattern(), pageview.Get("vid")?.GetString());
        Assert.False(pageview.Has("h") || pageview.Has("p") || pageview.Has("i") || pageview.Has("$") || pageview.Has("e") || pageview.Has("v"));
        Assert.StartsWith("text/plain", pageview.ContentType, StringComparison.Ordinal);
        Assert.Equal(["pageview"], await session.SentNamesAsync());

        await session.Page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(RepoPaths.Artifacts(), "tracker-test-page.png"),
        });
    }

    [Fact]
    public async Task CookieIsSetOnceAndReusedOnTheNextPage()
    {
        await using var session = await fixture.OpenAsync();
        if (session is null)
        {
            return;
        }

        var first = session.PageUrl();
        await session.Page.GotoAsync(first);
        var visitor = (await session.WaitForCountAsync("pageview", 1)).Single().Get("vid")?.GetString();

        // Set once the server's answer confirmed that the site uses cookies.
        var cookies = await Poll.UntilAsync(() => session.Context.CookiesAsync(), c => c.Count > 0, TimeSpan.FromSeconds(15), "the visitor cookie");
        var cookie = Assert.Single(cookies, c => c.Name == "_ag_vid");
        Assert.Equal(visitor, cookie.Value);
        Assert.Equal("/", cookie.Path);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        Assert.False(cookie.Secure); // plain http here; Secure is added only on https
        var expires = DateTimeOffset.FromUnixTimeSeconds((long)cookie.Expires);
        // The script asks for 2 years (Max-Age=63072000); Chromium caps every cookie at 400 days.
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddDays(399), DateTimeOffset.UtcNow.AddSeconds(63072000 + 600));

        await session.Page.ClickAsync("#next");
        var received = await session.WaitForAsync(
            r => r.Any(b => b.Name == "pageview" && b.Url!.Contains("/second", StringComparison.Ordinal))
                 && r.Any(b => b.Name == "engagement"),
            "second pageview and the first page's engagement (pagehide)");

        var second = received.Single(b => b.Name == "pageview" && b.Url!.Contains("/second", StringComparison.Ordinal));
        Assert.Equal(visitor, second.Get("vid")?.GetString());
        Assert.Equal(first, second.Get("r")?.GetString());
        var engagement = Assert.Single(received, b => b.Name == "engagement");
        Assert.Equal(first, engagement.Url);
        Assert.True(engagement.Get("e")?.GetInt64() > 0);
        Assert.Equal(visitor, engagement.Get("vid")?.GetString());
    }

    [Fact]
    public async Task CookielessModeSendsNoVisitorIdAndSetsNoCookie()
    {
        await using var session = await fixture.OpenAsync();
        if (session is null)
        {
            return;
        }

        await session.Page.GotoAsync(session.PageUrl(query: "?cookieless=1"));
        await session.Page.EvaluateAsync("() => analytics('event', 'Ping')");

        var received = await session.WaitForAsync(r => r.Any(b => b.Name == "Ping") && r.Any(b => b.Name == "pageview"), "pageview and Ping");
        Assert.All(received, b => Assert.False(b.Has("vid") || b.Has("v")));
        Assert.Empty(await session.Context.CookiesAsync());
    }

    [Fact]
    public async Task ACookielessSiteOnTheServerGetsNoCookieWithoutAnyAttribute()
    {
        await using var session = await fixture.OpenAsync();
        if (session is null)
        {
            return;
        }

        await session.Page.GotoAsync(session.PageUrl(query: "?sitecookieless=1"));
        var ping = await session.Page.EvaluateAsync<int>("() => new Promise(r => plausible('Ping', { callback: x => r(x.status) }))");

        // The id went out, but the server never confirmed a cookie site: the script stored nothing.
        Assert.Equal(202, ping);
        Assert.All(await session.WaitForCountAsync("Ping", 1), b => Assert.Matches(VisitorIdPattern(), b.Get("vid")?.GetString()));
        Assert.Empty(await session.Context.CookiesAsync());
    }

    [Fact]
    public async Task SpaNavigationSendsOnePageviewPerPathChangePrecededByEngagement()
    {
        await using var session = await fixture.OpenAsync();
        if (session is null)
        {
            return;
        }

        var home = session.PageUrl();
        await session.Page.GotoAsync(home);
        await session.WaitForCountAsync("pageview", 1);

        await session.Page.EvaluateAsync("path => history.pushState({}, '', path)", $"/t/{session.Id}/spa");
        Assert.Equal(["pageview", "engagement", "pageview"], await session.SentNamesAsync());

        // Same path (only the query changes): no new pageview.
        await session.Page.EvaluateAsync("() => history.replaceState({}, '', location.pathname + '?tab=2')");
        Assert.Equal(3, (await session.SentNamesAsync()).Length);

        // Back to the first entry via popstate: a pageview for home again.
        await session.Page.EvaluateAsync("() => new Promise(r => { addEventListener('popstate', () => setTimeout(r), { once: true }); history.back(); })");
        Assert.Equal(["pageview", "engagement", "pageview", "engagement", "pageview"], await session.SentNamesAsync());

        var received = await session.WaitForCountAsync("pageview", 3);
        var pageviews = received.Where(b => b.Name == "pageview").Select(b => b.Url).ToList();
        Assert.Equal(2, pageviews.Count(u => u == home));
        Assert.Single(pageviews, u => u == session.PageUrl("spa"));
        received = await session.WaitForCountAsync("engagement", 2);
        var engagements = received.Where(b => b.Name == "engagement").ToList();
        Assert.Contains(engagements, b => b.Url == home);
        Assert.Contains(engagements, b => b.Url == session.PageUrl("spa", "?tab=2") || b.Url == session.PageUrl("spa"));
        Assert.All(engagements, b =>
        {
            Assert.True(b.Get("e")?.GetInt64() > 0);
            Assert.False(b.Has("i")); // as Plausible's: the server never counts engagement as interactive
        });
    }

    [Fact]
    public async Task HashModeCountsFragmentChangesAsPages()
    {
        await using var session = await fixture.OpenAsync();
        if (session is null)
        {
            return;
        }

        await session.Page.GotoAsync(session.PageUrl(query: "?hash=1"));
        await session.WaitForCountAsync("pageview", 1);
        await session.Page.EvaluateAsync("() => new Promise(r => { addEventListener('hashchange', () => setTimeout(r), { once: true }); location.hash = '#/settings'; })");

        var received = await session.WaitForCountAsync("pageview", 2);
        Assert.All(received, b => Assert.Equal(1, b.Get("h")?.GetInt32()));
        Assert.Contains(received, b => b.Name == "pageview" && b.Url!.EndsWith("#/settings", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CustomEventCarriesPropsAsJsonStringAndRevenue()
    {
        await using var session = await fixture.OpenAsync();
        if (session is null)
        {
            return;
        }

        await session.Page.GotoAsync(session.PageUrl());
        await session.Page.EvaluateAsync("""
            () => analytics('event', 'Signup', {
              props: { plan: 'pro', seats: 3 },
              revenue: { currency: 'EUR', amount: 12.5 },
              callback: (result) => { window.__called = result.status; }
            })
            """);
        await session.Page.EvaluateAsync("() => analytics('event', 'Background', { interactive: false })");

        var received = await session.WaitForAsync(r => r.Any(b => b.Name == "Signup") && r.Any(b => b.Name == "Background"), "Signup and Background");
        var signup = received.Single(b => b.Name == "Signup");
        Assert.Equal(JsonValueKind.String, signup.Get("p")?.ValueKind);
        using var props = JsonDocument.Parse(signup.Get("p")!.Value.GetString()!);
        Assert.Equal("pro", props.RootElement.GetProperty("plan").GetString());
        Assert.Equal(3, props.RootElement.GetProperty("seats").GetInt32());
        Assert.Equal("EUR", signup.Get("$")?.GetProperty("currency").GetString());
        Assert.Equal(12.5m, signup.Get("$")?.GetProperty("amount").GetDecimal());
        Assert.False(signup.Has("i"));
        await session.Page.WaitForFunctionAsync("() => window.__called === 202");
        Assert.False(received.Single(b => b.Name == "Background").Get("i")?.GetBoolean());
    }

    [Fact]
    public async Task CallsQueuedBeforeLoadAreReplayedToTheDefaultEndpoint()
    {
        await using var session = await fixture.OpenAsync();
        if (session is null)
        {
            return;
        }

        // api=0 leaves out data-api, so this also covers the default "<script origin>/api/event".
        await session.Page.GotoAsync(session.PageUrl(query: "?queue=1&api=0"));

        var received = await session.WaitForAsync(r => r.Any(b => b.Name == "Queued") && r.Any(b => b.Name == "pageview"), "pageview and Queued");
        var queued = received.Single(b => b.Name == "Queued");
        Assert.Equal("{\"early\":\"yes\"}", queued.Get("p")?.GetString());
        Assert.Equal(["pageview", "Queued"], await session.SentNamesAsync());
    }

    [Fact]
    public async Task OutboundClickIsReportedAndNavigationStillHappens()
    {
        await using var session = await fixture.OpenAsync();
        if (session is null)
        {
            return;
        }

        await session.Page.GotoAsync(session.PageUrl());
        await session.Page.ClickAsync("#outbound");
        await session.Page.WaitForURLAsync($"http://{TestSite.OutboundHost}:{fixture.Site.Port}/landing");
        Assert.Equal("Landed", await session.Page.InnerTextAsync("h1"));

        var received = await session.WaitForAsync(r => r.Any(b => b.Name == "Outbound Link: Click"), "outbound click");
        var click = received.Single(b => b.Name == "Outbound Link: Click");
        Assert.Equal($"{{\"url\":\"http://{TestSite.OutboundHost}:{fixture.Site.Port}/landing\"}}", click.Get("p")?.GetString());
    }

    [Fact]
    public async Task FileDownloadIsReportedWithoutQueryAndDownloadStillHappens()
    {
        await using var session = await fixture.OpenAsync();
        if (session is null)
        {
            return;
        }

        await session.Page.GotoAsync(session.PageUrl());
        var download = await session.Page.RunAndWaitForDownloadAsync(() => session.Page.ClickAsync("#download"));
        Assert.Equal("report.pdf", download.SuggestedFilename);

        var received = await session.WaitForAsync(r => r.Any(b => b.Name == "File Download"), "file download");
        Assert.Equal($"{{\"url\":\"{fixture.Site.BaseUrl}/files/report.pdf\"}}", received.Single(b => b.Name == "File Download").Get("p")?.GetString());
        Assert.DoesNotContain(received, b => b.Name == "Outbound Link: Click");
    }

    [Fact]
    public async Task EngagementIsSentOnceWhenThePageIsHidden()
    {
        await using var session = await fixture.OpenAsync();
        if (session is null)
        {
            return;
        }

        await session.Page.GotoAsync(session.PageUrl());
        await session.WaitForCountAsync("pageview", 1);
        await session.Page.EvaluateAsync(HidePage);
        await session.Page.EvaluateAsync(HidePage); // nothing accumulated since: must not send again

        var received = await session.WaitForCountAsync("engagement", 1);
        var engagement = received.Single(b => b.Name == "engagement");
        Assert.Equal(session.PageUrl(), engagement.Url);
        Assert.InRange(engagement.Get("e")!.Value.GetInt64(), 1, 60_000);
        Assert.False(engagement.Has("i"));
        Assert.Equal(["pageview", "engagement"], await session.SentNamesAsync());
    }

    [Fact]
    public async Task IgnoreFlagInLocalStorageSuppressesEverything()
    {
        await using var session = await fixture.OpenAsync(
            "try { if (location.protocol === 'http:') localStorage.setItem('ag_ignore', 'true'); } catch (e) {}");
        if (session is null)
        {
            return;
        }

        await session.Page.GotoAsync(session.PageUrl());
        Assert.True(await session.Page.EvaluateAsync<bool>("() => typeof window.analytics === 'function'"), "tracker did not run");
        var called = await session.Page.EvaluateAsync<bool>(
            "() => { let called = false; analytics('event', 'Ignored', { callback: () => called = true }); return called; }");
        await session.Page.EvaluateAsync("path => history.pushState({}, '', path)", $"/t/{session.Id}/spa");
        await session.Page.EvaluateAsync(HidePage);

        Assert.True(called, "callback must still run so sites waiting on it keep working");
        Assert.Empty(await session.SentNamesAsync());
        Assert.Empty(await session.Context.CookiesAsync());
        Assert.Empty(session.Received);
    }

    [Fact]
    public async Task SendsWithKeepaliveFetchSoNoSendBeaconIsNeeded()
    {
        await using var session = await fixture.OpenAsync("delete Navigator.prototype.sendBeacon;");
        if (session is null)
        {
            return;
        }

        await session.Page.GotoAsync(session.PageUrl());
        var pageview = (await session.WaitForCountAsync("pageview", 1)).Single();
        Assert.StartsWith("text/plain", pageview.ContentType, StringComparison.Ordinal);
        Assert.Equal(["pageview"], await session.SentNamesAsync());
    }

    [GeneratedRegex("^[0-9a-f]{16}$")]
    private static partial Regex VisitorIdPattern();
}
