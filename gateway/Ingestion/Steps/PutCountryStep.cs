using Analytics.Gateway.Geo;

namespace Analytics.Gateway.Ingestion.Steps;

public sealed class PutCountryStep(ICountryResolver countries) : IIngestionStep
{
    public string Name => "put_country";

    public ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken)
    {
        // A country the sender named (GA4's user_location) stands; otherwise the client's address decides.
        if (context.Country == IngestionContext.UnknownValue)
        {
            context.Country = (context.ClientIp is { } ip ? countries.CountryOf(ip) : null) ?? IngestionContext.UnknownValue;
        }

        return ValueTask.FromResult<DropReason?>(null);
    }
}
