using System.Diagnostics.Metrics;
using Analytics.Gateway.Hosting;
using Analytics.Gateway.Ingestion;
using Analytics.Tests.Functional;
using Analytics.Tests.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Tests.Abuse;

/// <summary>analytics.ingestion.dropped counts each reason under its wire name, and is scraped at /metrics.</summary>
public sealed class DroppedCounterTests(EmbeddedAppFactory app) : IClassFixture<EmbeddedAppFactory>
{
    private sealed class DropWith(DropReason reason) : IIngestionStep
    {
        public string Name => "drop_test";

        public ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken) => ValueTask.FromResult<DropReason?>(reason);
    }

    [Fact]
    public async Task Every_reason_is_counted_under_its_own_tag()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var counted = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this test's meter: other hosts in the process create meters of the same name.
            if (instrument.Meter.Scope == meters && instrument.Name == "analytics.ingestion.dropped")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var reason = (string)tags.ToArray().Single(t => t.Key == "reason").Value!;
            counted[reason] = counted.GetValueOrDefault(reason) + value;
        });
        listener.Start();

        foreach (var (reason, times) in Enum.GetValues<DropReason>().Select((r, i) => (r, i + 1)))
        {
            var pipeline = new IngestionPipeline([new DropWith(reason)], meters);
            for (var i = 0; i < times; i++)
            {
                Assert.Equal(reason, await pipeline.RunAsync(TestContexts.Context(), CancellationToken.None));
            }
        }

        Assert.Equal(
            Enum.GetValues<DropReason>().Select((r, i) => (r.ToWireName(), (long)(i + 1))).OrderBy(x => x.Item1),
            counted.Select(kv => (kv.Key, kv.Value)).OrderBy(x => x.Key));
    }

    [Fact]
    public async Task Drops_by_reason_are_scraped_by_Prometheus_at_metrics()
    {
        await app.RegisterAsync("scrape.test");
        var http = app.CreateClient();
        var spam = await http.PostEventAsync("""{"n":"pageview","u":"https://scrape.test/","d":"scrape.test","r":"https://www.semalt.com/"}""");
        Assert.Equal("referrer_spam", Assert.Single(spam.Headers.GetValues("X-Drop-Reason")));
        await http.PostEventAsync("""{"n":"pageview","u":"https://scrape.test/","d":"scrape.test"}""", "curl/8.5.0");

        var text = await Analytics.Testing.Poll.UntilAsync(
            () => http.GetStringAsync(GatewayEndpointRouteBuilderExtensions.MetricsPath),
            t => t.Contains("reason=\"referrer_spam\"", StringComparison.Ordinal) && t.Contains("reason=\"bot\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "both reasons in the scrape");
        var lines = text.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("analytics_ingestion_dropped_total{", StringComparison.Ordinal) && l.Contains("reason=\"referrer_spam\"", StringComparison.Ordinal));
    }
}
