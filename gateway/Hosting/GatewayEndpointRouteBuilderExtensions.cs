using Analytics.Gateway.Access;
using Analytics.Gateway.Api;
using Analytics.Gateway.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Scalar.AspNetCore;

namespace Analytics.Gateway.Hosting;

public static class GatewayEndpointRouteBuilderExtensions
{
    public const string LiveTag = "live";

    /// <summary>Prometheus text exposition of the gateway's meters (ingestion accepted / dropped by reason).</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Maps every public API, the OpenAPI document (/openapi/v1.json, browsable at /scalar) and /health, /alive.</summary>
    public static WebApplication MapAnalyticsGateway(this WebApplication app)
    {
        // Problem details for the rest; a request the server refuses mid-read (body over Kestrel's limit, a truncated
        // body) is the client's fault (ClientRequestExceptionHandler), a grid that cannot answer a 503 (GridUnavailableExceptionHandler).
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseNoDotSegments();
        app.UseTrustedForwardedProto(app.Configuration);
        app.UseJsonUnicodeCheck();
        app.UseCors();
        app.UseAnalyticsAccess();

        app.MapEventsApi();
        app.MapQueryApi();
        app.MapStatsV1Api();
        app.MapSitesApi();
        app.MapSitesV1Api();
        app.MapSitesV1GoalsApi();
        app.MapSitesV1PropsApi();
        app.MapSitePropsApi();
        app.MapGoalsApi();
        app.MapFunnelsApi();
        app.MapSavedSegmentsApi();
        app.MapImportsApi();
        app.MapSiteDropsApi();
        app.MapShareLinksApi();
        app.MapApiKeysApi();
        app.MapGa4Api();
        app.MapMpSecretsApi();
        app.MapTrackerApi();

        app.MapOpenApi();
        // Nothing from third parties (fonts, telemetry, the AI agent): the reference works offline and tells no one who reads it.
        app.MapScalarApiReference(o => o
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .HideDeveloperTools()
            .WithTitle("Analytics Grid API")
            .AddPreferredSecuritySchemes(ApiDocumentTransformer.BearerScheme));

        app.MapProbes();
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    /// <summary>
    /// /health: ready to serve (every check; 503 when one is unhealthy, 200 when only degraded), a JSON body naming each
    /// dependency's state; /alive: the process answers (only checks tagged live).
    /// </summary>
    public static WebApplication MapProbes(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync });
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = r => r.Tags.Contains(LiveTag), ResponseWriter = HealthReportWriter.WriteAsync });
        return app;
    }
}
