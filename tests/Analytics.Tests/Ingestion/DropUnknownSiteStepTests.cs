using Analytics.Gateway.Ingestion;
using Analytics.Gateway.Ingestion.Steps;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Tests.Ingestion;

public sealed class DropUnknownSiteStepTests
{
    private static readonly SiteSettings Example = new() { Domain = "example.com", Timezone = "Europe/Berlin" };

    [Fact]
    public void Is_named_as_in_the_pipeline() => Assert.Equal("drop_unknown_site", new DropUnknownSiteStep(new FakeSiteDirectory()).Name);

    [Fact]
    public async Task Puts_the_registered_site_on_the_context()
    {
        var directory = new FakeSiteDirectory(Example);
        var context = TestContexts.Context(TestContexts.Beacon(domain: "example.com"));

        Assert.Null(await new DropUnknownSiteStep(directory).RunAsync(context, CancellationToken.None));

        Assert.Same(Example, context.Site);
        Assert.Equal(["example.com"], directory.Lookups);
    }

    [Fact]
    public async Task Drops_beacons_for_sites_nobody_registered()
    {
        var context = TestContexts.Context(TestContexts.Beacon(domain: "other.org"));

        Assert.Equal(DropReason.UnknownSite, await new DropUnknownSiteStep(new FakeSiteDirectory(Example)).RunAsync(context, CancellationToken.None));
        Assert.Null(context.Site);
    }
}
