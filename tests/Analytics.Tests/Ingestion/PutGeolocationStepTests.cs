using System.Net;
using Analytics.Gateway.Geo;
using Analytics.Gateway.Ingestion;
using Analytics.Gateway.Ingestion.Steps;

namespace Analytics.Tests.Ingestion;

public sealed class PutGeolocationStepTests
{
    private static readonly GeoLocation Berlin = new("DE", "DE-BE", "2950159");

    [Fact]
    public void Is_named_as_in_the_pipeline() => Assert.Equal("put_geolocation", new PutGeolocationStep(new FakeGeoLocator(Berlin)).Name);

    [Fact]
    public async Task Puts_the_country_region_and_city_of_the_client_ip()
    {
        var locator = new FakeGeoLocator(Berlin);
        var ip = IPAddress.Parse("198.51.100.23");
        var context = TestContexts.Context(ip: ip);

        Assert.Null(await new PutGeolocationStep(locator).RunAsync(context, CancellationToken.None));

        Assert.Equal(("DE", "DE-BE", "2950159"), (context.Country, context.Region, context.City));
        Assert.Equal([ip], locator.Asked);
    }

    [Fact]
    public async Task An_unresolvable_ip_is_unknown()
    {
        var context = TestContexts.Context();

        await new PutGeolocationStep(new FakeGeoLocator(null)).RunAsync(context, CancellationToken.None);

        Assert.Equal((IngestionContext.UnknownValue, (string?)null, (string?)null), (context.Country, context.Region, context.City));
    }

    [Fact]
    public async Task A_country_the_sender_named_stands_and_takes_no_region_or_city_from_the_address()
    {
        var locator = new FakeGeoLocator(Berlin);
        var context = TestContexts.Context(ip: IPAddress.Parse("198.51.100.23"));
        context.Country = "FR";

        await new PutGeolocationStep(locator).RunAsync(context, CancellationToken.None);

        Assert.Equal(("FR", (string?)null, (string?)null), (context.Country, context.Region, context.City));
        Assert.Empty(locator.Asked);
    }

    [Fact]
    public async Task Without_a_client_ip_the_locator_is_not_asked()
    {
        var locator = new FakeGeoLocator(Berlin);
        var context = new IngestionContext
        {
            Beacon = TestContexts.Beacon(),
            UserAgent = TestContexts.ChromeUserAgent,
            ClientIp = null,
            ReceivedAt = TestContexts.ReceivedAt,
        };

        await new PutGeolocationStep(locator).RunAsync(context, CancellationToken.None);

        Assert.Equal(IngestionContext.UnknownValue, context.Country);
        Assert.Empty(locator.Asked);
    }
}
