using Analytics.Gateway.Enrichment;
using Analytics.Gateway.Ingestion;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Tests.Ingestion;

public sealed class IngestionContextTests
{
    private static readonly UserAgentInfo Chrome = new("Chrome", "120.0", "Windows", "10", "Desktop", IsBot: false);

    private static IngestionContext Enriched(Beacon beacon)
    {
        var context = TestContexts.Context(beacon);
        context.Agent = Chrome;
        context.Site = new SiteSettings { Domain = "example.com", Timezone = "Europe/Berlin" };
        Assert.True(UrlParser.TryParse("https://example.com/docs?utm_source=news&utm_medium=mail&utm_campaign=spring", out var url));
        context.Url = url;
        context.Source = "news";
        context.Referrer = "google.com";
        context.ScreenSize = "Laptop";
        context.Country = "DE";
        context.VisitorId = "h:abc";
        return context;
    }

    [Fact]
    public void Copies_every_enriched_field_onto_the_event()
    {
        var id = Guid.NewGuid();
        var beacon = TestContexts.Beacon() with { RevenueAmount = 9.5m, RevenueCurrency = "EUR" };
        var context = Enriched(beacon);
        context.Props = new Dictionary<string, string> { ["plan"] = "pro" };

        var tracked = context.ToTrackedEvent(id);

        Assert.Equal(id, tracked.Id);
        Assert.Equal("example.com", tracked.Site);
        Assert.Equal("h:abc", tracked.VisitorId);
        Assert.Equal(TestContexts.ReceivedAt, tracked.Timestamp);
        Assert.Equal("Europe/Berlin", tracked.Timezone);
        Assert.Equal("pageview", tracked.Name);
        Assert.True(tracked.IsPageview);
        Assert.Equal("example.com", tracked.Hostname);
        Assert.Equal("/docs", tracked.Pathname);
        Assert.Equal("google.com", tracked.Referrer);
        Assert.Equal("news", tracked.Source);
        Assert.Equal("news", tracked.UtmSource);
        Assert.Equal("mail", tracked.UtmMedium);
        Assert.Equal("spring", tracked.UtmCampaign);
        Assert.Equal("DE", tracked.Country);
        Assert.Equal("Desktop", tracked.Device);
        Assert.Equal("Chrome", tracked.Browser);
        Assert.Equal("120.0", tracked.BrowserVersion);
        Assert.Equal("Windows", tracked.Os);
        Assert.Equal("10", tracked.OsVersion);
        Assert.Equal("Laptop", tracked.ScreenSize);
        Assert.True(tracked.Interactive);
        Assert.Equal(0, tracked.EngagementMs);
        Assert.Equal("pro", tracked.Props!["plan"]);
        Assert.Equal(9.5m, tracked.RevenueAmount);
        Assert.Equal("EUR", tracked.RevenueCurrency);
    }

    [Fact]
    public void No_props_are_stored_as_null()
    {
        Assert.Null(Enriched(TestContexts.Beacon()).ToTrackedEvent(Guid.NewGuid()).Props);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Interactive_follows_the_beacon_and_defaults_to_true(bool? interactive, bool expected)
    {
        var tracked = Enriched(TestContexts.Beacon("Signup") with { Interactive = interactive, EngagementMs = 500 }).ToTrackedEvent(Guid.NewGuid());

        Assert.Equal(expected, tracked.Interactive);
        Assert.Equal(0, tracked.EngagementMs);
    }

    [Theory]
    [InlineData(4200L, 4200L)]
    [InlineData(null, 0L)]
    public void Engagement_events_carry_their_time_and_are_never_interactive(long? engagementMs, long expected)
    {
        var tracked = Enriched(TestContexts.Beacon("engagement") with { Interactive = true, EngagementMs = engagementMs })
            .ToTrackedEvent(Guid.NewGuid());

        Assert.True(tracked.IsEngagement);
        Assert.False(tracked.Interactive);
        Assert.Equal(expected, tracked.EngagementMs);
    }

    [Fact]
    public void Refuses_to_build_an_event_before_the_steps_that_fill_it_ran()
    {
        var context = Enriched(TestContexts.Beacon());
        context.VisitorId = null;
        Assert.Contains("put_visitor_id", Assert.Throws<InvalidOperationException>(() => context.ToTrackedEvent(Guid.NewGuid())).Message, StringComparison.Ordinal);

        context = Enriched(TestContexts.Beacon());
        context.Url = null;
        Assert.Contains("put_url", Assert.Throws<InvalidOperationException>(() => context.ToTrackedEvent(Guid.NewGuid())).Message, StringComparison.Ordinal);

        context = Enriched(TestContexts.Beacon());
        context.Agent = null;
        Assert.Contains("put_user_agent", Assert.Throws<InvalidOperationException>(() => context.ToTrackedEvent(Guid.NewGuid())).Message, StringComparison.Ordinal);

        context = Enriched(TestContexts.Beacon());
        context.Site = null;
        Assert.Contains("drop_unknown_site", Assert.Throws<InvalidOperationException>(() => context.ToTrackedEvent(Guid.NewGuid())).Message, StringComparison.Ordinal);
    }
}
