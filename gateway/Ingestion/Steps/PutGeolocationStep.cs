using Analytics.Gateway.Geo;

namespace Analytics.Gateway.Ingestion.Steps;

/// <summary>Country, region and city of the client's address (Plausible's put_geolocation); the address itself is not kept.</summary>
public sealed class PutGeolocationStep(IGeoLocator locator) : IIngestionStep
{
    public string Name => "put_geolocation";

    public ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken)
    {
        // A country the sender named (GA4's user_location) stands, and with it no region or city from the address.
        if (context.Country == IngestionContext.UnknownValue && context.ClientIp is { } ip && locator.Locate(ip) is { } location)
        {
            context.Country = location.Country;
            context.Region = location.Region;
            context.City = location.City;
        }

        return ValueTask.FromResult<DropReason?>(null);
    }
}
