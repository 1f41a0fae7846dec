using System.Net;
using Analytics.Gateway.Enrichment;
using Analytics.Gateway.Geo;
using Analytics.Gateway.Ingestion;
using Analytics.Gateway.Ingestion.Steps;
using Analytics.Gateway.Sites;
using Analytics.Gateway.Visitors;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Sites;
using Microsoft.Extensions.Options;

namespace Analytics.Bench.Traffic;

/// <summary>
/// Runs the gateway's real ingestion pipeline (the same steps, in the same order as
/// GatewayServiceCollectionExtensions) outside a web request, with a historical receive time. Only the site lookup
/// is a fixed table (the bench's sites, all Etc/UTC) instead of a grain call. Beacons must carry cookie ids:
/// the cookieless hash needs the silo's salt grain.
/// </summary>
public sealed class OfflineEnricher
{
    private readonly IngestionPipeline _pipeline;

    public OfflineEnricher(IEnumerable<string> siteDomains)
    {
        var options = Options.Create(new IngestionOptions());
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var sites = new FixedSites(siteDomains);
        _pipeline = new IngestionPipeline(
            [
                new DropInvalidEventNameStep(options),
                new PutUserAgentStep(new UserAgentParser()),
                new DropBotStep(),
                new DropUnknownSiteStep(sites),
                new PutUrlStep(options),
                new DropHostnameNotAllowedStep(),
                new PutSourceStep(new ReferrerClassifier()),
                new PutScreenSizeStep(),
                new PutGeolocationStep(new NoGeoLocator()),
                new PutPropsStep(options),
                new PutVisitorIdStep(new VisitorIdentity(null!)),
            ],
            services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
    }

    public IngestionPipeline Pipeline => _pipeline;

    /// <summary>The tracked event, or null when the pipeline drops the beacon (bots, ...).</summary>
    public async ValueTask<TrackedEvent?> EnrichAsync(SyntheticBeacon b)
    {
        var context = new IngestionContext
        {
            Beacon = new Beacon
            {
                Name = b.Name,
                Url = b.Url,
                Domain = b.Site,
                Referrer = b.Referrer,
                ScreenWidth = b.ScreenWidth,
                Props = b.Props ?? new Dictionary<string, string>(),
                VisitorId = b.CookieId ?? throw new InvalidOperationException("Offline enrichment needs cookie ids."),
            },
            UserAgent = b.UserAgent,
            ClientIp = IPAddress.Parse(b.ClientIp),
            ReceivedAt = b.Timestamp,
        };
        if (await _pipeline.RunAsync(context, CancellationToken.None) is not null)
        {
            return null;
        }

        return context.ToTrackedEvent(EventIds.NewVersion7(new DateTimeOffset(b.Timestamp, TimeSpan.Zero)));
    }

    private sealed class FixedSites(IEnumerable<string> domains) : ISiteDirectory
    {
        private readonly Dictionary<string, SiteSettings> _sites = domains.ToDictionary(
            d => d, d => new SiteSettings { Domain = d, Timezone = "Etc/UTC" }, StringComparer.Ordinal);

        public ValueTask<SiteSettings?> FindAsync(string domain, CancellationToken cancellationToken) =>
            ValueTask.FromResult(_sites.GetValueOrDefault(domain));

        public void Invalidate(string domain)
        {
        }
    }
}
