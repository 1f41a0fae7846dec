using Analytics.Dashboard.Hosting;
using Analytics.Gateway.Hosting;

namespace Analytics.Silo.Hosting;

/// <summary>The silo process in the profile Analytics:Profile chooses (<see cref="Profiles"/>).</summary>
public static class SiloHostExtensions
{
    /// <summary>
    /// Cluster: grains only (the gateway and dashboard run as their own processes). Embedded (default): silo, gateway
    /// endpoints and dashboard in one process, data under ./data.
    /// </summary>
    public static WebApplicationBuilder AddAnalyticsSilo(this WebApplicationBuilder builder)
    {
        if (builder.Configuration.IsCluster())
        {
            return builder.AddClusterSilo();
        }

        builder.AddEmbeddedSilo();
        builder.Services.AddAnalyticsGateway();
        return builder.AddAnalyticsDashboard();
    }

    public static WebApplication MapAnalyticsSilo(this WebApplication app)
    {
        if (!app.Configuration.IsCluster())
        {
            return app.MapAnalyticsGateway().MapAnalyticsDashboard();
        }

        app.MapProbes();
        app.MapPrometheusScrapingEndpoint(GatewayEndpointRouteBuilderExtensions.MetricsPath);
        return app;
    }
}
