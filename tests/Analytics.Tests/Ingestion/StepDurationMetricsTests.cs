using System.Globalization;
using Analytics.Gateway.Hosting;
using Analytics.Testing;
using Analytics.Tests.Functional;

namespace Analytics.Tests.Ingestion;

/// <summary>analytics.ingestion.step.duration: every step of an accepted beacon is timed under its own name and scraped at /metrics.</summary>
public sealed class StepDurationMetricsTests(EmbeddedAppFactory app) : IClassFixture<EmbeddedAppFactory>
{
    [Fact]
    public async Task Each_steps_time_is_scraped_per_step_name()
    {
        await app.RegisterAsync("steps.test");
        var http = app.CreateClient();
        (await http.PostEventAsync("""{"n":"pageview","u":"https://steps.test/","d":"steps.test"}""")).EnsureSuccessStatusCode();

        var text = await Poll.UntilAsync(
            () => http.GetStringAsync(GatewayEndpointRouteBuilderExtensions.MetricsPath),
            t => t.Contains("step=\"write_to_sink\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "the write step in the scrape");

        // Other hosts in this test process have the same instruments, so a step may be scraped as several series: add them.
        var counts = text.Split('\n')
            .Where(l => l.StartsWith("analytics_ingestion_step_duration_seconds_count{", StringComparison.Ordinal))
            .GroupBy(
                l => l[(l.IndexOf("step=\"", StringComparison.Ordinal) + 6)..][..l[(l.IndexOf("step=\"", StringComparison.Ordinal) + 6)..].IndexOf('"', StringComparison.Ordinal)],
                l => double.Parse(l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.Sum());
        foreach (var step in new[] { "drop_invalid_event_name", "put_user_agent", "drop_unknown_site", "put_visitor_id", "drop_site_rate_limited", "write_to_sink" })
        {
            Assert.True(counts.GetValueOrDefault(step) >= 1, $"no time recorded for {step}:\n{text}");
        }

        Assert.Contains(text.Split('\n'), l => l.StartsWith("analytics_ingestion_step_duration_seconds_bucket{", StringComparison.Ordinal) && l.Contains("step=\"write_to_sink\"", StringComparison.Ordinal));
    }
}
