using Analytics.Gateway.Enrichment;
using Analytics.Gateway.Ingestion;
using Analytics.Gateway.Ingestion.Steps;

namespace Analytics.Tests.Ingestion;

public sealed class PutSourceStepTests
{
    private readonly PutSourceStep _step = new(new ReferrerClassifier());

    [Fact]
    public void Is_named_as_in_the_pipeline() => Assert.Equal("put_source", _step.Name);

    [Fact]
    public async Task An_external_referrer_becomes_source_and_referrer()
    {
        var context = Context("https://example.com/", referrer: "https://www.google.com/search?q=analytics");

        Assert.Null(await _step.RunAsync(context, CancellationToken.None));

        Assert.Equal("Google", context.Source);
        Assert.Equal("google.com/search", context.Referrer);
    }

    [Fact]
    public async Task Utm_source_wins_over_the_referrer()
    {
        var context = Context("https://example.com/?utm_source=newsletter", referrer: "https://www.google.com/");

        await _step.RunAsync(context, CancellationToken.None);

        Assert.Equal("newsletter", context.Source);
        Assert.Equal("google.com", context.Referrer);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://example.com/previous-page")]
    [InlineData("https://www.example.com/")]
    public async Task Missing_or_own_site_referrers_are_direct(string? referrer)
    {
        var context = Context("https://example.com/docs", referrer);

        await _step.RunAsync(context, CancellationToken.None);

        Assert.Equal(ReferrerClassifier.Direct, context.Source);
        Assert.Null(context.Referrer);
    }

    private static IngestionContext Context(string url, string? referrer)
    {
        var context = TestContexts.Context(TestContexts.Beacon(url: url) with { Referrer = referrer });
        Assert.True(UrlParser.TryParse(url, out var parsed));
        context.Url = parsed;
        return context;
    }
}
