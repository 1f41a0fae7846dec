using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Ingestion.Steps;

/// <summary>
/// Drops beacons whose referrer is a known referrer-spam domain (or a subdomain of one): a small built-in list plus
/// Analytics:Ingestion:ReferrerSpamDomains.
/// </summary>
public sealed class DropReferrerSpamStep : IIngestionStep
{
    /// <summary>Long-lived referrer spammers; sites add their own through configuration.</summary>
    public static readonly IReadOnlyList<string> BuiltIn =
    [
        "semalt.com", "semalt.semalt.com", "buttons-for-website.com", "buttons-for-your-website.com", "darodar.com",
        "ilovevitaly.com", "ilovevitaly.ru", "priceg.com", "blackhatworth.com", "hulfingtonpost.com",
        "best-seo-offer.com", "best-seo-solution.com", "4webmasters.org", "trafficmonetize.com", "free-social-buttons.com",
        "get-free-traffic-now.com", "simple-share-buttons.com", "social-buttons.com", "floating-share-buttons.com",
        "o-o-6-o-o.com", "seo-platform.com", "100dollars-seo.com", "makemoneyonline.com", "success-seo.com",
    ];

    private readonly HashSet<string> _domains;

    public DropReferrerSpamStep(IOptions<IngestionOptions> options)
    {
        _domains = new HashSet<string>(BuiltIn, StringComparer.OrdinalIgnoreCase);
        foreach (var domain in options.Value.ReferrerSpamDomains)
        {
            if (!string.IsNullOrWhiteSpace(domain))
            {
                _domains.Add(domain.Trim().TrimEnd('.'));
            }
        }
    }

    public string Name => "drop_referrer_spam";

    public ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DropReason?>(IsSpam(context.ReferrerUri) ? DropReason.ReferrerSpam : null);

    private bool IsSpam(Uri? uri)
    {
        if (uri is null || string.IsNullOrEmpty(uri.Host))
        {
            return false;
        }

        // example.spam.com matches spam.com: walk the host's suffixes at each dot.
        var host = uri.IdnHost.TrimEnd('.');
        while (true)
        {
            if (_domains.Contains(host))
            {
                return true;
            }

            var dot = host.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                return false;
            }

            host = host[(dot + 1)..];
        }
    }
}
