using Analytics.Gateway.Api;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Scalar.AspNetCore;

namespace Analytics.Gateway.Hosting;

public static class GatewayEndpointRouteBuilderExtensions
{
    public const string LiveTag = "live";

    /// <summary>Maps every public API, the OpenAPI document (/openapi/v1.json, browsable at /scalar) and /health, /alive.</summary>
    public static WebApplication MapAnalyticsGateway(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors();

        app.MapEventsApi();
        app.MapQueryApi();
        app.MapSitesApi();
        app.MapTrackerApi();

        app.MapOpenApi();
        app.MapScalarApiReference();

        app.MapProbes();
        return app;
    }

    /// <summary>/health: ready to serve (every check); /alive: the process answers (only checks tagged live).</summary>
    public static WebApplication MapProbes(this WebApplication app)
    {
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = r => r.Tags.Contains(LiveTag) });
        return app;
    }
}
