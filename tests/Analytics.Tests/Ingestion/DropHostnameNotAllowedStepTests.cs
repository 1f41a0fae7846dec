using Analytics.Gateway.Enrichment;
using Analytics.Gateway.Ingestion;
using Analytics.Gateway.Ingestion.Steps;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Tests.Ingestion;

public sealed class DropHostnameNotAllowedStepTests
{
    private readonly DropHostnameNotAllowedStep _step = new();

    [Fact]
    public void Is_named_as_in_the_pipeline() => Assert.Equal("drop_hostname_not_allowed", _step.Name);

    [Theory]
    [InlineData("example.com", "example.com", true)]
    [InlineData("example.com", "EXAMPLE.com", true)]
    [InlineData("example.com", "blog.example.com", false)]
    [InlineData("example.com", "example.com.evil.net", false)]
    [InlineData("*.example.com", "example.com", true)]
    [InlineData("*.example.com", "blog.example.com", true)]
    [InlineData("*.example.com", "a.b.example.com", true)]
    [InlineData("*.example.com", "evilexample.com", false)]
    [InlineData("*.example.com", "example.com.evil.net", false)]
    [InlineData("*.example.com", "example.org", false)]
    public void Matches_exact_names_and_wildcard_subdomains(string pattern, string hostname, bool expected) =>
        Assert.Equal(expected, DropHostnameNotAllowedStep.IsMatch(pattern, hostname));

    [Theory]
    [InlineData("https://shop.example.com/cart", null)]
    [InlineData("https://example.com/", null)]
    [InlineData("https://localhost:5173/", DropReason.HostnameNotAllowed)]
    [InlineData("https://example.org/", DropReason.HostnameNotAllowed)]
    public async Task With_an_allow_list_only_those_hostnames_count(string url, DropReason? expected)
    {
        var context = Context(url, ["example.com", "*.example.com"]);

        Assert.Equal(expected, await _step.RunAsync(context, CancellationToken.None));
    }

    [Theory]
    [InlineData("https://localhost:5173/")]
    [InlineData("https://anything.example.net/")]
    public async Task Without_an_allow_list_any_hostname_counts(string url)
    {
        var context = Context(url, []);

        Assert.Null(await _step.RunAsync(context, CancellationToken.None));
    }

    [Theory]
    [InlineData("https://www.example.com/")]
    [InlineData("https://example.com/")]
    public async Task An_allowed_www_hostname_matches_pages_on_it(string url)
    {
        // put_url strips "www." from page hostnames, so the allow-list entry must be compared the same way.
        var context = Context(url, ["www.example.com"]);

        Assert.Null(await _step.RunAsync(context, CancellationToken.None));
    }

    private static IngestionContext Context(string url, IReadOnlyList<string> allowed)
    {
        var context = TestContexts.Context(TestContexts.Beacon(url: url));
        context.Site = new SiteSettings { Domain = "example.com", AllowedHostnames = allowed };
        Assert.True(UrlParser.TryParse(url, out var parsed));
        context.Url = parsed;
        return context;
    }
}
