using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Analytics.Sqlite.EventLog;
using Analytics.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Tests.Differential;

/// <summary>
/// The same generated events in two places: through the product's real grains (appended to the embedded event log with
/// the events' own timestamps and delivered by its stream) into the embedded host, and into the real PostgreSQL of
/// scripts/services.sh. Ready when our API counts every pageview and event PostgreSQL has (polled with a deadline).
/// ANALYTICS_DIFF_SEED picks another seed (the default is fixed, so a CI failure reproduces).
/// </summary>
public sealed class DifferentialFixture : IAsyncLifetime
{
    public static readonly DateOnly FirstDay = new(2026, 10, 20);
    public const int Days = 10;
    public const int VisitorsPerSite = 1000;

    public static readonly IReadOnlyList<DifferentialSite> Sites =
        [new("berlin.diff.test", "Europe/Berlin"), new("kolkata.diff.test", "Asia/Kolkata")];

    public static int Seed => Environment.GetEnvironmentVariable("ANALYTICS_DIFF_SEED") is { Length: > 0 } seed ? int.Parse(seed, CultureInfo.InvariantCulture) : 14;

    public bool Available { get; private set; }

    public HttpClient Http { get; private set; } = null!;

    public PostgresEvents Postgres { get; private set; } = null!;

    public int EventCount { get; private set; }

    /// <summary>How long the grains took to accept every event, and until queries counted them all.</summary>
    public TimeSpan TrackTime { get; private set; }

    public TimeSpan IngestTime { get; private set; }

    private DifferentialAppFactory? _app;

    public async Task InitializeAsync()
    {
        Available = ServiceEndpoints.PostgresAvailable();
        if (!Available)
        {
            return;
        }

        var generator = new EventGenerator(Seed);
        var streams = Sites.SelectMany(site => generator.Generate(site, FirstDay, Days, VisitorsPerSite)).ToList();
        EventCount = streams.Sum(s => s.Events.Count());
        _app = new DifferentialAppFactory();
        Http = _app.CreateClient();
        foreach (var site in Sites)
        {
            await _app.RegisterAsync(site.Domain, site.Timezone);
            // Every custom event is a configured goal (event:goal reads them); Purchase is a revenue goal in euros.
            foreach (var (name, _) in Catalog.Goals)
            {
                var goal = await Http.PostAsJsonAsync($"/api/sites/{site.Domain}/goals", new { event_name = name, currency = name == Catalog.Purchase ? "EUR" : null });
                Assert.Equal(System.Net.HttpStatusCode.Created, goal.StatusCode);
            }
        }

        var load = PostgresEvents.LoadAsync(streams);
        var clock = Stopwatch.StartNew();
        // Into the embedded event log, each visitor's events in order; the SQLite stream delivers them to the grains.
        await _app.Services.GetRequiredService<SqliteEventLog>().DeliverAsync(streams.SelectMany(s => s.Events), TimeSpan.FromMinutes(10));
        TrackTime = clock.Elapsed;
        Postgres = await load;
        foreach (var (what, sql) in SessionizationSql.Invariants)
        {
            var broken = Convert.ToInt64(await Postgres.ScalarAsync(sql), CultureInfo.InvariantCulture);
            Assert.True(broken == 0, $"the generator broke an invariant the SQL relies on: {broken} {what}");
        }

        foreach (var site in Sites)
        {
            await WaitForEveryEventAsync(site);
        }

        IngestTime = clock.Elapsed;
    }

    /// <summary>Polls our totals over the whole data (with a margin) until they equal PostgreSQL's raw counts.</summary>
    private async Task WaitForEveryEventAsync(DifferentialSite site)
    {
        var range = QueryRange.OfDays(FirstDay.AddDays(-3), FirstDay.AddDays(Days + 2));
        var counts = await Postgres.ScalarAsync(
            $"SELECT count(*) FILTER (WHERE name = 'pageview') || ',' || count(*) FILTER (WHERE name <> 'engagement') FROM ev " +
            $"WHERE site = {SqlTranslator.Literal(site.Domain)} AND ts >= {range.SqlFrom(site.Timezone)} AND ts < {range.SqlTo(site.Timezone)}");
        var expected = (string)counts!;
        var body = new DifferentialQuery(0, site, ["pageviews", "events"], [], [], range, []).Body;
        await Poll.UntilAsync(async () =>
        {
            using var response = await Http.PostAsJsonAsync("/api/v2/query", body);
            response.EnsureSuccessStatusCode();
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var metrics = answer.RootElement.GetProperty("results")[0].GetProperty("metrics");
            return string.Create(CultureInfo.InvariantCulture, $"{metrics[0].GetDouble()},{metrics[1].GetDouble()}");
        }, total => total == expected, TimeSpan.FromSeconds(90), $"{site.Domain} to count {expected} pageviews,events");
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }
    }
}
