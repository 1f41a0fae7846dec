using Analytics.Gateway.Hosting;

// The standalone gateway of the cluster profile: an Orleans client in front of the silos, producing to Kafka.
var builder = HostStart.CreateBuilder(args);
builder.AddAnalyticsGatewayHost();

var app = builder.Build();
app.MapAnalyticsGateway();
await app.RunAsync();
