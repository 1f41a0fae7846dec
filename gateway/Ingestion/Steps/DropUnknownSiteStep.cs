using Analytics.Gateway.Sites;

namespace Analytics.Gateway.Ingestion.Steps;

public sealed class DropUnknownSiteStep(ISiteDirectory sites) : IIngestionStep
{
    public string Name => "drop_unknown_site";

    public async ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken)
    {
        context.Site = await sites.FindAsync(context.Beacon.Domain, cancellationToken);
        return context.Site is null ? DropReason.UnknownSite : null;
    }
}
