using System.Net;
using Analytics.Gateway.Ingestion;
using Analytics.Gateway.Ingestion.Steps;
using Analytics.Gateway.Visitors;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Tests.Ingestion;

public sealed class PutVisitorIdStepTests
{
    private readonly FakeSalts _salts = new();
    private readonly PutVisitorIdStep _step;

    public PutVisitorIdStepTests() => _step = new PutVisitorIdStep(new VisitorIdentity(SaltOnlyGrainFactory.Create(_salts)));

    [Fact]
    public void Is_named_as_in_the_pipeline() => Assert.Equal("put_visitor_id", _step.Name);

    [Fact]
    public async Task A_cookie_site_uses_the_trackers_cookie_id_without_fetching_a_salt()
    {
        var context = Context(cookieless: false, visitorId: "a1B2c3D4-e5_f6");

        Assert.Null(await _step.RunAsync(context, CancellationToken.None));

        Assert.Equal("c:a1B2c3D4-e5_f6", context.VisitorId);
        Assert.Empty(_salts.Requests);
    }

    [Fact]
    public async Task A_cookieless_site_ignores_the_cookie_id_and_hashes()
    {
        var context = Context(cookieless: true, visitorId: "a1B2c3D4-e5_f6");

        await _step.RunAsync(context, CancellationToken.None);

        Assert.StartsWith("h:", context.VisitorId, StringComparison.Ordinal);
        Assert.DoesNotContain("a1B2c3D4", context.VisitorId, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("short")]
    [InlineData("has space in it")]
    [InlineData("semi;colon12")]
    public async Task A_missing_or_malformed_cookie_id_falls_back_to_the_hash(string? visitorId)
    {
        var context = Context(cookieless: false, visitorId);

        await _step.RunAsync(context, CancellationToken.None);

        Assert.StartsWith("h:", context.VisitorId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hash_is_the_visitor_identity_hash_of_site_ip_and_user_agent()
    {
        var context = Context(cookieless: true, visitorId: null);
        await _step.RunAsync(context, CancellationToken.None);

        var expected = await new VisitorIdentity(SaltOnlyGrainFactory.Create(new FakeSalts()))
            .HashAsync("example.com", context.ClientIp, context.UserAgent, context.ReceivedAt, CancellationToken.None);
        Assert.Equal(expected, context.VisitorId);
    }

    private static IngestionContext Context(bool cookieless, string? visitorId)
    {
        var context = TestContexts.Context(TestContexts.Beacon() with { VisitorId = visitorId }, ip: IPAddress.Parse("192.0.2.10"));
        context.Site = new SiteSettings { Domain = "example.com", Cookieless = cookieless };
        return context;
    }
}
