using System.Diagnostics.Metrics;
using System.Net;
using Analytics.Abstractions.Ingestion;
using Analytics.Gateway.Geo;
using Analytics.Gateway.Hosting;
using Analytics.Gateway.Ingestion;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Sites;
using Analytics.Tests.Enrichment;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Tests.Ingestion;

public sealed class IngestionPipelineTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly IMeterFactory _meters;
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, long Value, string? Reason)> _measurements = [];
    private readonly List<string?> _timedSteps = [];
    private readonly List<ServiceProvider> _gateways = [];
    private readonly RecordingSink _sink = new();

    public IngestionPipelineTests()
    {
        _meters = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only this test's factory: other tests build pipelines with the same meter name in parallel.
            if (instrument.Meter.Name == IngestionPipeline.MeterName && ReferenceEquals(instrument.Meter.Scope, _meters))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? reason = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    reason = (string?)tag.Value;
                }
            }

            lock (_measurements)
            {
                _measurements.Add((instrument.Name, value, reason));
            }
        });
        _listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "step")
                {
                    lock (_timedSteps)
                    {
                        _timedSteps.Add((string?)tag.Value);
                    }
                }
            }
        });
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _gateways.ForEach(g => g.Dispose());
        _services.Dispose();
    }

    [Fact]
    public async Task Runs_steps_in_order_and_counts_an_accepted_beacon()
    {
        var log = new List<string>();
        var pipeline = new IngestionPipeline([new Recording("a", log), new Recording("b", log), new Recording("c", log)], _meters);

        Assert.Null(await pipeline.RunAsync(TestContexts.Context(), CancellationToken.None));

        Assert.Equal(["a", "b", "c"], log);
        Assert.Equal([("analytics.ingestion.accepted", 1L, (string?)null)], _measurements);
    }

    [Fact]
    public async Task Steps_are_timed_by_name_for_the_first_run_and_one_in_every_sixteen_after_it()
    {
        var pipeline = new IngestionPipeline([new Recording("a", []), new Recording("b", [])], _meters);

        for (var run = 0; run < 2 * IngestionPipeline.TimedEvery + 1; run++)
        {
            await pipeline.RunAsync(TestContexts.Context(), CancellationToken.None);
        }

        // Runs 1, 17 and 33 of 33.
        Assert.Equal(["a", "b", "a", "b", "a", "b"], _timedSteps);
        Assert.Equal(2 * IngestionPipeline.TimedEvery + 1, _measurements.Count(m => m.Instrument == "analytics.ingestion.accepted"));
    }

    [Fact]
    public async Task The_first_drop_wins_and_later_steps_do_not_run()
    {
        var log = new List<string>();
        var pipeline = new IngestionPipeline(
            [new Recording("a", log), new Recording("b", log, DropReason.Bot), new Recording("c", log, DropReason.UnknownSite), new Recording("d", log)],
            _meters);

        Assert.Equal(DropReason.Bot, await pipeline.RunAsync(TestContexts.Context(), CancellationToken.None));

        Assert.Equal(["a", "b"], log);
        Assert.Equal([("analytics.ingestion.dropped", 1L, (string?)"bot")], _measurements);
    }

    [Theory]
    [InlineData(DropReason.InvalidEventName, "invalid_event_name")]
    [InlineData(DropReason.Bot, "bot")]
    [InlineData(DropReason.UnknownSite, "unknown_site")]
    [InlineData(DropReason.InvalidUrl, "invalid_url")]
    [InlineData(DropReason.HostnameNotAllowed, "hostname_not_allowed")]
    public async Task Drops_are_counted_under_their_snake_case_wire_name(DropReason reason, string wireName)
    {
        var pipeline = new IngestionPipeline([new Recording("x", [], reason)], _meters);

        await pipeline.RunAsync(TestContexts.Context(), CancellationToken.None);
        await pipeline.RunAsync(TestContexts.Context(), CancellationToken.None);

        Assert.Equal(wireName, reason.ToWireName());
        Assert.Equal([("analytics.ingestion.dropped", 1L, (string?)wireName), ("analytics.ingestion.dropped", 1L, (string?)wireName)], _measurements);
    }

    [Fact]
    public async Task The_gateways_pipeline_accepts_a_real_pageview_and_fills_every_field()
    {
        var pipeline = Gateway(new SiteSettings { Domain = "example.com", Timezone = "Europe/Berlin", AllowedHostnames = ["*.example.com"] });
        var beacon = BeaconReader.Read("""
            {"n":"pageview","u":"https://www.example.com/pricing?utm_source=newsletter&utm_medium=email&utm_campaign=spring&utm_content=hero+button&utm_term=web%20analytics","d":"example.com",
             "r":"https://www.google.com/","w":1280,"p":"{\"plan\":\"pro\"}","v":"cookie-id-1234"}
            """u8.ToArray());
        var context = TestContexts.Context(beacon);

        Assert.Null(await pipeline.RunAsync(context, CancellationToken.None));

        var tracked = context.ToTrackedEvent(Guid.NewGuid());
        Assert.Equal("example.com", tracked.Hostname);
        Assert.Equal("/pricing", tracked.Pathname);
        Assert.Equal("newsletter", tracked.Source);
        Assert.Equal("google.com", tracked.Referrer);
        Assert.Equal("Laptop", tracked.ScreenSize);
        Assert.Equal("email", tracked.UtmMedium);
        Assert.Equal("spring", tracked.UtmCampaign);
        Assert.Equal("hero button", tracked.UtmContent);
        Assert.Equal("web analytics", tracked.UtmTerm);
        Assert.Equal("NL", tracked.Country);
        Assert.Equal("NL-NH", tracked.Region);
        Assert.Equal("2759794", tracked.City);
        Assert.Equal("Chrome", tracked.Browser);
        Assert.Equal("c:cookie-id-1234", tracked.VisitorId);
        Assert.Equal("pro", tracked.Props!["plan"]);
        Assert.Equal("Europe/Berlin", tracked.Timezone);
        Assert.Equal([("analytics.ingestion.accepted", 1L, (string?)null)], _measurements);
        var written = Assert.Single(_sink.Written);
        Assert.Equal(context.Event!.Id, written.Event.Id);
        Assert.Equal("/pricing", written.Event.Pathname);
    }

    [Fact]
    public async Task The_gateways_pipeline_locates_the_client_in_a_configured_GeoIP_City_database()
    {
        var directory = Directory.CreateTempSubdirectory("analytics-geoip-").FullName;
        try
        {
            var pipeline = Gateway(new SiteSettings { Domain = "example.com" }, GeoIpTestDatabase.Write(directory, GeoIpTestDatabase.City));
            var berlin = TestContexts.Context(TestContexts.Beacon(), ip: IPAddress.Parse("2a02:8100:1234::1"));
            var nowhere = TestContexts.Context(TestContexts.Beacon(), ip: IPAddress.Parse("8.8.8.8"));

            Assert.Null(await pipeline.RunAsync(berlin, CancellationToken.None));
            Assert.Null(await pipeline.RunAsync(nowhere, CancellationToken.None));

            var tracked = berlin.ToTrackedEvent(Guid.NewGuid());
            Assert.Equal(("DE", "DE-BE", "2950159"), (tracked.Country, tracked.Region, tracked.City));
            var unknown = nowhere.ToTrackedEvent(Guid.NewGuid());
            Assert.Equal((IngestionContext.UnknownValue, (string?)null, (string?)null), (unknown.Country, unknown.Region, unknown.City));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_gateway_registers_the_named_steps_in_the_documented_order()
    {
        var names = Gateway(new SiteSettings { Domain = "example.com" }).Steps.Select(s => s.Name);

        Assert.Equal(
            ["drop_invalid_event_name", "put_user_agent", "drop_bot", "drop_referrer_spam", "drop_unknown_site", "drop_do_not_track", "put_url", "drop_hostname_not_allowed",
             "put_source", "put_screen_size", "put_geolocation", "put_props", "put_visitor_id", "drop_site_rate_limited", "write_to_sink"],
            names);
    }

    [Theory]
    [InlineData("bad\u0001name", TestContexts.ChromeUserAgent, "example.com", "https://example.com/", DropReason.InvalidEventName)]
    [InlineData("bad\u0001name", TestContexts.GooglebotUserAgent, "unknown.org", "nope", DropReason.InvalidEventName)]
    [InlineData("pageview", TestContexts.GooglebotUserAgent, "unknown.org", "nope", DropReason.Bot)]
    [InlineData("pageview", TestContexts.ChromeUserAgent, "unknown.org", "nope", DropReason.UnknownSite)]
    [InlineData("pageview", TestContexts.ChromeUserAgent, "example.com", "nope", DropReason.InvalidUrl)]
    [InlineData("pageview", TestContexts.ChromeUserAgent, "example.com", "https://evil.net/", DropReason.HostnameNotAllowed)]
    public async Task The_gateways_pipeline_reports_the_earliest_applicable_drop(string name, string userAgent, string domain, string url, DropReason expected)
    {
        var pipeline = Gateway(new SiteSettings { Domain = "example.com", AllowedHostnames = ["example.com"] });
        var context = TestContexts.Context(TestContexts.Beacon(name, url, domain), userAgent);

        Assert.Equal(expected, await pipeline.RunAsync(context, CancellationToken.None));

        Assert.Null(context.VisitorId);
        Assert.Equal([("analytics.ingestion.dropped", 1L, (string?)expected.ToWireName())], _measurements);
    }

    /// <summary>
    /// The pipeline exactly as the gateway registers it, with the site directory faked, and GeoIP faked too unless a
    /// database is configured (Analytics:GeoIp:DatabasePath).
    /// </summary>
    private IngestionPipeline Gateway(SiteSettings site, string? geoIpDatabase = null)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Analytics:GeoIp:DatabasePath"] = geoIpDatabase })
                .Build())
            .AddSingleton(_meters)
            .AddSingleton(SaltOnlyGrainFactory.Create(new FakeSalts()))
            .AddAnalyticsGateway()
            .AddSingleton<IEventSink>(_sink)
            .AddSingleton<ISiteDirectory>(new FakeSiteDirectory(site));
        if (geoIpDatabase is null)
        {
            services.AddSingleton<IGeoLocator>(new FakeGeoLocator(new GeoLocation("NL", "NL-NH", "2759794")));
        }

        var provider = services.BuildServiceProvider();
        _gateways.Add(provider);
        return provider.GetRequiredService<IngestionPipeline>();
    }

    private sealed class RecordingSink : IEventSink
    {
        public List<EventEnvelope> Written { get; } = [];

        public ValueTask AppendAsync(EventEnvelope envelope, CancellationToken cancellationToken)
        {
            Written.Add(envelope);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Recording(string name, List<string> log, DropReason? result = null) : IIngestionStep
    {
        public string Name => name;

        public ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken)
        {
            log.Add(name);
            return ValueTask.FromResult(result);
        }
    }
}
