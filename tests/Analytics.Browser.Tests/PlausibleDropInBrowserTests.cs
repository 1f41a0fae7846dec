using System.Text.Json;

namespace Analytics.Browser.Tests;

/// <summary>
/// Our tracker as a drop-in for Plausible's script, in real Chromium: window.plausible with its queue, the variants by
/// Plausible's file names (manual, exclusions, pageview props, tagged events, form submissions), its opt-out flag.
/// </summary>
public sealed class PlausibleDropInBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task WindowPlausibleTakesPropsRevenueInteractiveUrlAndCallsBackWithTheStatus()
    {
        await using var session = await fixture.OpenAsync();
        if (session is null)
        {
            return;
        }

        await session.Page.GotoAsync(session.PageUrl());
        var status = await session.Page.EvaluateAsync<int>("""
            url => new Promise(resolve => plausible('Purchase', {
              props: { plan: 'pro' }, revenue: { amount: 19.9, currency: 'EUR' }, interactive: false, u: url,
              callback: result => resolve(result.status)
            }))
            """, session.PageUrl("checkout"));

        Assert.Equal(202, status);
        var purchase = (await session.WaitForCountAsync("Purchase", 1)).Single(b => b.Name == "Purchase");
        Assert.Equal(session.PageUrl("checkout"), purchase.Url);
        Assert.Equal("{\"plan\":\"pro\"}", purchase.Get("p")?.GetString());
        Assert.Equal(19.9m, purchase.Get("$")?.GetProperty("amount").GetDecimal());
        Assert.False(purchase.Get("i")?.GetBoolean());
    }

    [Fact]
    public async Task PlausibleCallsQueuedBeforeLoadIncluding404TrackingAreReplayed()
    {
        await using var session = await fixture.OpenAsync();
        if (session is null)
        {
            return;
        }

        await session.Page.GotoAsync(session.PageUrl("missing", "?pqueue=1"));

        var received = await session.WaitForCountAsync("404", 1);
        Assert.Equal($"{{\"path\":\"/t/{session.Id}/missing\"}}", received.Single(b => b.Name == "404").Get("p")?.GetString());
        Assert.Equal(["pageview", "404"], await session.SentNamesAsync());
    }

    [Fact]
    public async Task ManualModeSendsPageviewsOnlyWhenAskedWithTheGivenUrl()
    {
        await using var session = await fixture.OpenAsync();
        if (session is null)
        {
            return;
        }

        await session.Page.GotoAsync(session.PageUrl(query: "?script=script.manual.js"));
        await session.Page.EvaluateAsync("path => history.pushState({}, '', path)", $"/t/{session.Id}/spa");
        Assert.Empty(await session.SentNamesAsync());

        await session.Page.EvaluateAsync("url => plausible('pageview', { u: url })", session.PageUrl("user/:id"));

        var pageview = (await session.WaitForCountAsync("pageview", 1)).Single();
        Assert.Equal(session.PageUrl("user/:id"), pageview.Url);
        Assert.Equal(["pageview"], await session.SentNamesAsync());
    }

    [Fact]
    public async Task ExclusionsSkipMatchingPagesOnly()
    {
        await using var session = await fixture.OpenAsync();
        if (session is null)
        {
            return;
        }

        var query = "?script=script.exclusions.js&exclude=" + Uri.EscapeDataString("/t/*/admin, /t/**/private");
        await session.Page.GotoAsync(session.PageUrl("admin", query));
        await session.Page.EvaluateAsync("path => history.pushState({}, '', path)", $"/t/{session.Id}/deep/er/private");
        await session.Page.EvaluateAsync("path => history.pushState({}, '', path)", $"/t/{session.Id}/public");

        var pageview = (await session.WaitForCountAsync("pageview", 1)).Single();
        Assert.EndsWith("/public", pageview.Url, StringComparison.Ordinal);
        Assert.Equal(["pageview"], await session.SentNamesAsync());
    }

    [Fact]
    public async Task PageviewPropsFromScriptAttributesGoWithEveryEvent()
    {
        await using var session = await fixture.OpenAsync();
        if (session is null)
        {
            return;
        }

        await session.Page.GotoAsync(session.PageUrl(query: "?script=script.pageview-props.js&props=1"));
        await session.Page.EvaluateAsync("() => plausible('Share', { props: { section: 'sports' } })");

        var received = await session.WaitForCountAsync("Share", 1);
        Assert.Equal(new Dictionary<string, string> { ["author"] = "Jane Doe", ["section"] = "news" }, Props(received.Single(b => b.Name == "pageview")));
        Assert.Equal(new Dictionary<string, string> { ["author"] = "Jane Doe", ["section"] = "sports" }, Props(received.Single(b => b.Name == "Share")));
    }

    [Fact]
    public async Task TaggedElementsSendTheirEventWithPropsAndRevenue()
    {
        await using var session = await fixture.OpenAsync();
        if (session is null)
        {
            return;
        }

        await session.Page.GotoAsync(session.PageUrl(query: "?script=script.tagged-events.js"));
        await session.Page.ClickAsync("#tagged-inner");
        await session.Page.ClickAsync("#plain");
        await session.Page.ClickAsync("#tagged-submit");

        var received = await session.WaitForAsync(r => r.Any(b => b.Name == "Buy Now") && r.Any(b => b.Name == "Newsletter"), "Buy Now and Newsletter");
        var buy = received.Single(b => b.Name == "Buy Now");
        Assert.Equal(new Dictionary<string, string> { ["plan"] = "pro" }, Props(buy));
        Assert.Equal("EUR", buy.Get("$")?.GetProperty("currency").GetString());
        Assert.Equal("9.5", buy.Get("$")?.GetProperty("amount").GetString());
        Assert.Equal(["pageview", "Buy Now", "Newsletter"], await session.SentNamesAsync());
    }

    [Fact]
    public async Task FormSubmissionsAreSentForValidUntaggedForms()
    {
        await using var session = await fixture.OpenAsync();
        if (session is null)
        {
            return;
        }

        await session.Page.GotoAsync(session.PageUrl(query: "?script=script.form-submissions.js"));
        await session.Page.ClickAsync("#submit"); // the required field is empty: the browser blocks the submit
        await session.Page.FillAsync("input[name=email]", "someone@example.com");
        await session.Page.ClickAsync("#submit");
        await session.Page.ClickAsync("#tagged-submit"); // tagged: its own event belongs to script.tagged-events.js

        await session.WaitForCountAsync("Form: Submission", 1);
        Assert.Equal(["pageview", "Form: Submission"], await session.SentNamesAsync());
    }

    [Fact]
    public async Task PlausiblesOptOutFlagIsHonoured()
    {
        await using var session = await fixture.OpenAsync(
            "try { if (location.protocol === 'http:') localStorage.setItem('plausible_ignore', 'true'); } catch (e) {}");
        if (session is null)
        {
            return;
        }

        await session.Page.GotoAsync(session.PageUrl());
        var called = await session.Page.EvaluateAsync<bool>("() => new Promise(r => plausible('Ignored', { callback: x => r(x === undefined) }))");

        Assert.True(called, "an ignored event calls back without a result, as Plausible's script does");
        Assert.Empty(await session.SentNamesAsync());
        Assert.Empty(await session.Context.CookiesAsync());
    }

    private static Dictionary<string, string> Props(Beacon beacon) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(beacon.Get("p")!.Value.GetString()!)!;
}
