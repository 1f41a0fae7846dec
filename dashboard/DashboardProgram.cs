using Analytics.Dashboard.Hosting;
using Analytics.Gateway.Hosting;

namespace Analytics.Dashboard;

/// <summary>
/// The standalone dashboard of the cluster profile: the page at /dashboard, /api/* and /js/script.js forwarded to
/// Analytics:Dashboard:GatewayUrl, /health and /alive. (The embedded profile co-hosts the page in the silo instead.)
/// A named class, not top-level statements: the silo references this assembly and has its own Program.
/// </summary>
public static class DashboardProgram
{
    public static async Task Main(string[] args)
    {
        var builder = HostStart.CreateBuilder(args);
        builder.AddAnalyticsDashboardHost();

        var app = builder.Build();
        app.MapAnalyticsDashboardHost();
        await app.RunAsync();
    }
}
