using Analytics.Dashboard.Hosting;
using Analytics.Gateway.Hosting;
using Analytics.Silo.Hosting;

if (ReaggregateCommand.IsInvoked(args))
{
    // An admin command of either profile: rebuild a site's segments from the raw event log, then exit.
    return await ReaggregateCommand.RunAsync(args);
}

if (HashPasswordCommand.IsInvoked(args))
{
    return HashPasswordCommand.Run();
}

var builder = HostStart.CreateBuilder(args);
if (builder.Configuration.IsCluster())
{
    // A silo of the cluster profile: grains only; the gateway and dashboard run as their own processes.
    builder.AddClusterSilo();
    var silo = builder.Build();
    silo.MapProbes();
    await silo.RunAsync();
    return 0;
}

// The embedded profile (default): silo, gateway endpoints and dashboard in one process, data under ./data.
builder.AddEmbeddedSilo();
builder.Services.AddAnalyticsGateway();
builder.AddAnalyticsDashboard();

var app = builder.Build();
app.MapAnalyticsGateway();
app.MapAnalyticsDashboard();
await app.RunAsync();
return 0;
