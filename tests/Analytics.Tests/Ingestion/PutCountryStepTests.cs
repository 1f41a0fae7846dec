using System.Net;
using Analytics.Gateway.Ingestion;
using Analytics.Gateway.Ingestion.Steps;

namespace Analytics.Tests.Ingestion;

public sealed class PutCountryStepTests
{
    [Fact]
    public void Is_named_as_in_the_pipeline() => Assert.Equal("put_country", new PutCountryStep(new FakeCountryResolver("DE")).Name);

    [Fact]
    public async Task Puts_the_country_of_the_client_ip()
    {
        var resolver = new FakeCountryResolver("DE");
        var ip = IPAddress.Parse("198.51.100.23");
        var context = TestContexts.Context(ip: ip);

        Assert.Null(await new PutCountryStep(resolver).RunAsync(context, CancellationToken.None));

        Assert.Equal("DE", context.Country);
        Assert.Equal([ip], resolver.Asked);
    }

    [Fact]
    public async Task An_unresolvable_ip_is_unknown()
    {
        var context = TestContexts.Context();

        await new PutCountryStep(new FakeCountryResolver(null)).RunAsync(context, CancellationToken.None);

        Assert.Equal(IngestionContext.UnknownValue, context.Country);
    }

    [Fact]
    public async Task Without_a_client_ip_the_resolver_is_not_asked()
    {
        var resolver = new FakeCountryResolver("DE");
        var context = new IngestionContext
        {
            Beacon = TestContexts.Beacon(),
            UserAgent = TestContexts.ChromeUserAgent,
            ClientIp = null,
            ReceivedAt = TestContexts.ReceivedAt,
        };

        await new PutCountryStep(resolver).RunAsync(context, CancellationToken.None);

        Assert.Equal(IngestionContext.UnknownValue, context.Country);
        Assert.Empty(resolver.Asked);
    }
}
