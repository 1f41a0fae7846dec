using Analytics.Dashboard.Hosting;
using Analytics.Gateway.Hosting;
using Analytics.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
if (builder.Configuration.IsCluster())
{
    // A silo of the cluster profile: grains only; the gateway and dashboard run as their own processes.
    builder.AddClusterSilo();
    var silo = builder.Build();
    silo.MapProbes();
    silo.Run();
    return;
}

// The embedded profile (default): silo, gateway endpoints and dashboard in one process, data under ./data.
builder.AddEmbeddedSilo();
builder.Services.AddAnalyticsGateway();
builder.AddAnalyticsDashboard();

var app = builder.Build();
app.MapAnalyticsGateway();
app.MapAnalyticsDashboard();
app.Run();
