using Analytics.Dashboard.Hosting;
using Analytics.Gateway.Hosting;

// The standalone dashboard of the cluster profile: the page at /dashboard, /api/* and /js/script.js forwarded to
// Analytics:Dashboard:GatewayUrl, /health and /alive. (The embedded profile co-hosts the page in the silo instead.)
var builder = HostStart.CreateBuilder(args);
builder.AddAnalyticsDashboardHost();

var app = builder.Build();
app.MapAnalyticsDashboardHost();
await app.RunAsync();
