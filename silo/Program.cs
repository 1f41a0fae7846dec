using Analytics.Dashboard.Hosting;
using Analytics.Gateway.Hosting;
using Analytics.Silo.Hosting;

// The embedded profile: silo, gateway endpoints and dashboard in one process, data under ./data.
var builder = WebApplication.CreateBuilder(args);
builder.AddEmbeddedSilo();
builder.Services.AddAnalyticsGateway();
builder.AddAnalyticsDashboard();

var app = builder.Build();
app.MapAnalyticsGateway();
app.MapAnalyticsDashboard();
app.Run();

/// <summary>Visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
