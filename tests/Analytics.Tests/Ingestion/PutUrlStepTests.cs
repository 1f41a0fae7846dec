using Analytics.Gateway.Ingestion;
using Analytics.Gateway.Ingestion.Steps;
using Microsoft.Extensions.Options;

namespace Analytics.Tests.Ingestion;

public sealed class PutUrlStepTests
{
    private static PutUrlStep Step(int maxUrlLength = 2048) => new(Options.Create(new IngestionOptions { MaxUrlLength = maxUrlLength }));

    [Fact]
    public void Is_named_as_in_the_pipeline() => Assert.Equal("put_url", Step().Name);

    [Fact]
    public async Task Puts_hostname_path_and_utm_parameters()
    {
        var context = TestContexts.Context(TestContexts.Beacon(
            url: "https://www.Example.com/blog/hello%20world?utm_source=newsletter&utm_medium=email&utm_campaign=launch&token=secret"));

        Assert.Null(await Step().RunAsync(context, CancellationToken.None));

        var url = context.Url!;
        Assert.Equal("example.com", url.Hostname);
        Assert.Equal("/blog/hello world", url.Pathname);
        Assert.Equal("newsletter", url.UtmSource);
        Assert.Equal("email", url.UtmMedium);
        Assert.Equal("launch", url.UtmCampaign);
    }

    [Fact]
    public async Task Hash_mode_keeps_the_fragment_route_without_its_query()
    {
        var beacon = TestContexts.Beacon(url: "https://example.com/app#/settings?tab=billing") with { HashMode = true };
        var context = TestContexts.Context(beacon);

        await Step().RunAsync(context, CancellationToken.None);

        Assert.Equal("/app#/settings", context.Url!.Pathname);
    }

    [Fact]
    public async Task Without_hash_mode_the_fragment_is_ignored()
    {
        var context = TestContexts.Context(TestContexts.Beacon(url: "https://example.com/app#/settings"));

        await Step().RunAsync(context, CancellationToken.None);

        Assert.Equal("/app", context.Url!.Pathname);
    }

    [Theory]
    [InlineData("/relative/path")]
    [InlineData("ftp://example.com/file")]
    [InlineData("javascript:alert(1)")]
    [InlineData("not a url")]
    public async Task Drops_urls_that_are_not_absolute_http(string url)
    {
        var context = TestContexts.Context(TestContexts.Beacon(url: url));

        Assert.Equal(DropReason.InvalidUrl, await Step().RunAsync(context, CancellationToken.None));
        Assert.Null(context.Url);
    }

    [Fact]
    public async Task The_configured_length_limit_applies_inclusively()
    {
        var fits = "https://example.com/" + new string('a', 100 - "https://example.com/".Length);
        Assert.Equal(100, fits.Length);

        Assert.Null(await Step(maxUrlLength: 100).RunAsync(TestContexts.Context(TestContexts.Beacon(url: fits)), CancellationToken.None));
        Assert.Equal(DropReason.InvalidUrl,
            await Step(maxUrlLength: 100).RunAsync(TestContexts.Context(TestContexts.Beacon(url: fits + "b")), CancellationToken.None));
    }
}
