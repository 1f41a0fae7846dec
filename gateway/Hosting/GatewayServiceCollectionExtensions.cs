using Analytics.Abstractions.Caching;
using Analytics.Abstractions.Ingestion;
using Analytics.Gateway.Abuse;
using Analytics.Gateway.Access;
using Analytics.Gateway.Api;
using Analytics.Gateway.Caching;
using Analytics.Gateway.Enrichment;
using Analytics.Gateway.Ga4;
using Analytics.Gateway.Geo;
using Analytics.Gateway.Imports;
using Analytics.Gateway.Ingestion;
using Analytics.Gateway.Ingestion.Steps;
using Analytics.Gateway.Query;
using Analytics.Gateway.Sites;
using Analytics.Gateway.Visitors;
using Analytics.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Analytics.Gateway.Hosting;

/// <summary>The gateway's HTTP surface, shared by the embedded process and the standalone gateway.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Registers ingestion, query and site APIs. The host adds an <see cref="IEventSink"/> and an <see cref="IGrainFactory"/>.
    /// <paramref name="defaultCache"/> is the hot cache used unless Analytics:Cache:Provider says otherwise.
    /// </summary>
    public static IServiceCollection AddAnalyticsGateway(this IServiceCollection services, HotCacheProvider defaultCache = HotCacheProvider.Memory)
    {
        services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GeoIpOptions>().BindConfiguration(GeoIpOptions.SectionName);
        services.AddOptions<RevenueOptions>().BindConfiguration(RevenueOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RevenueOptions>, RevenueOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMemoryCache();
        services.AddHotCache(defaultCache);
        services.AddRedisHotCache();
        services.AddSingleton<QueryResultCache>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ClientRequestExceptionHandler>();
        services.AddExceptionHandler<GridUnavailableExceptionHandler>();
        services.AddOpenApi(o => o.AddDocumentTransformer<ApiDocumentTransformer>());
        services.AddHealthChecks();
        services.AddCors(cors => cors.AddPolicy(EventsApi.CorsPolicy, policy => policy
            .AllowAnyOrigin()
            .WithMethods("POST")
            .WithHeaders("Content-Type")
            .WithExposedHeaders(EventsApi.VisitorCookieHeader)));
        // gtag.js may send its hits with credentials: the origin is echoed (a server container answers the same way).
        services.AddCors(cors => cors.AddPolicy(Ga4Api.TagCorsPolicy, policy => policy
            .SetIsOriginAllowed(_ => true)
            .AllowCredentials()
            .WithMethods("GET", "POST")
            .WithHeaders("Content-Type")));

        // The host's request log names every path, and /share/{slug} carries a credential: it is not written, whatever
        // level the configuration asks for Microsoft.AspNetCore. Off entirely: while any level of it is on, the host
        // gives every request an Activity and a log scope (3 % of what a silo allocates under load); failed requests are
        // still logged by the exception handler and Kestrel, a failed start by the host.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None));
        services.AddAbuseLimits();
        services.AddAnalyticsAccess();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(IngestionPipeline.MeterName)
            // The runtime's own meter (GC pause time, allocations, CPU time): what bounds a host under load.
            .AddMeter("System.Runtime")
            .AddPrometheusExporter());

        services.AddSingleton<UserAgentParser>();
        services.AddSingleton<ReferrerClassifier>();
        services.AddSingleton<ClientIpResolver>();
        services.AddSingleton<ISiteDirectory, SiteDirectory>();
        services.AddSingleton<SiteDomainChange>();
        services.AddSingleton<StatsQueryRunner>();
        services.AddSingleton<ImportJobs>();
        services.AddSingleton<VisitorIdentity>();
        services.AddSingleton<SiteDropLog>();
        services.AddHostedService(sp => sp.GetRequiredService<SiteDropLog>());
        services.AddSingleton<Ga4Streams>();
        services.AddSingleton<Ga4Ingestion>();
        services.AddSingleton<EventIngestionServices>();
        services.AddSingleton<IGeoLocator>(sp =>
            sp.GetRequiredService<IOptions<GeoIpOptions>>().Value.DatabasePath is { Length: > 0 } path
                ? new MaxMindGeoLocator(path)
                : new NoGeoLocator());

        // Plausible-style: a named, ordered list; drop_* steps run as early as they have what they need, the site's rate limit
        // just before the write, so only events that would be written use it up.
        services.AddSingleton(sp => new IngestionPipeline(
            [
                new DropInvalidEventNameStep(sp.GetRequiredService<IOptions<IngestionOptions>>()),
                new PutUserAgentStep(sp.GetRequiredService<UserAgentParser>()),
                new DropBotStep(),
                new DropReferrerSpamStep(sp.GetRequiredService<IOptions<IngestionOptions>>()),
                new DropUnknownSiteStep(sp.GetRequiredService<ISiteDirectory>()),
                new DropDoNotTrackStep(),
                new PutUrlStep(sp.GetRequiredService<IOptions<IngestionOptions>>()),
                new DropHostnameNotAllowedStep(),
                new PutSourceStep(sp.GetRequiredService<ReferrerClassifier>()),
                new PutScreenSizeStep(),
                new PutGeolocationStep(sp.GetRequiredService<IGeoLocator>()),
                new PutPropsStep(sp.GetRequiredService<IOptions<IngestionOptions>>()),
                new PutVisitorIdStep(sp.GetRequiredService<VisitorIdentity>()),
                new DropSiteRateLimitedStep(sp.GetRequiredService<SiteRateLimiter>()),
                new WriteToSinkStep(sp.GetRequiredService<IEventSink>()),
            ],
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        return services;
    }
}
