using Analytics.Gateway.Hosting;
using Analytics.Silo.Hosting;

// An admin command (reaggregate, hash-password) runs instead of the host, then exits.
if (AdminCommands.IsInvoked(args))
{
    return await AdminCommands.RunAsync(args);
}

var builder = HostStart.CreateBuilder(args);
builder.AddAnalyticsSilo();   // Analytics:Profile: Embedded (silo + gateway + dashboard, the default) or Cluster (grains)

var app = builder.Build();
app.MapAnalyticsSilo();
await app.RunAsync();
return 0;
