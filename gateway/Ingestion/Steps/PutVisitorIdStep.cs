using Analytics.Gateway.Visitors;

namespace Analytics.Gateway.Ingestion.Steps;

/// <summary>
/// The tracker's cookie id when the site uses cookies and the id looks like one of ours; otherwise the daily-rotating
/// salted hash of site, IP and User-Agent (cookieless sites, Plausible's script, server-side senders). A GA4 client id
/// (Google's own cookie, which the site chose to set) is kept as a keyed hash, so it is stable across days.
/// </summary>
public sealed class PutVisitorIdStep(VisitorIdentity identity) : IIngestionStep
{
    /// <summary>Marks a visitor id that came from the tracker's cookie (the rest are daily hashes).</summary>
    public const string CookiePrefix = "c:";

    public string Name => "put_visitor_id";

    public async ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken)
    {
        var site = context.Site!;
        if (context.Beacon.ClientId is { Length: > 0 } clientId)
        {
            context.VisitorId = await identity.ClientIdHashAsync(site.SiteKey, clientId, cancellationToken);
            return null;
        }

        context.VisitorId = !site.Cookieless && VisitorIdentity.IsValidCookieId(context.Beacon.VisitorId)
            ? CookiePrefix + context.Beacon.VisitorId
            : await identity.HashAsync(site.SiteKey, context.ClientIp, context.UserAgent, context.ReceivedAt, cancellationToken);
        return null;
    }
}
