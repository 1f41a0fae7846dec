using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Analytics.Bench.Infra;
using Analytics.Bench.Peers;
using Analytics.Testing;

namespace Analytics.Bench.Scenarios;

/// <summary>
/// 10. A funnel (issue 18): three page goals in order (/ → /pricing → /about) over the 30 days of the biggest site,
/// asked of our funnel endpoint and of ClickHouse's <c>windowFunnel</c> on the same rows (the engine scenario's
/// <see cref="SegmentImport"/> and <see cref="ClickHousePeer"/>), interleaved round by round. Ours advances a visit one
/// step each time a pageview completes the next step, in time order, and a visitor reaches a step when one of their
/// visits does; ClickHouse answers the same question with windowFunnel grouped by (visitor, session) and a window of
/// the whole range, so the visit (not the window) bounds a chain, then the highest level per visitor. The step counts
/// must agree (ClickHouse's exactly; ours exact up to 2,048 visitors per step, then within the sketch's error) or the
/// scenario fails.
/// </summary>
public static class FunnelScenario
{
    public static readonly string[] Steps = ["/", "/pricing", "/about"];

    /// <summary>How far our step counts may be from ClickHouse's exact ones: HyperLogLog above 2,048 visitors (~1 % error).</summary>
    private const double Tolerance = 0.03;

    public static async Task<Report> RunAsync(BenchContext context)
    {
        var history = await context.GeneratedAsync();
        var first = DateOnly.FromDateTime(history.From);
        var last = DateOnly.FromDateTime(history.Today.AddDays(-1));
        var dir = context.NewDir("funnel");
        var imported = await SegmentImport.SealAsync(dir, history.Events, first, last);
        Console.WriteLine($"funnel: {imported.Events:N0} events in {imported.Segments} sealed segments");
        await using var clickHouse = await ClickHousePeer.TryOpenAsync() ?? throw new SkipScenarioException("ClickHouse is not reachable (scripts/services.sh up)");
        var clock = Stopwatch.StartNew();
        await clickHouse.LoadAsync(imported.Rows);
        var loaded = clock.Elapsed;
        Console.WriteLine($"funnel: loaded ClickHouse in {loaded.TotalSeconds:F1}s");

        var s = context.Settings;
        var site = history.BiggestSite;
        await using var silo = await SiloProcess.StartAsync(dir, context.SiloLog("funnel"), s.SiloEnvironment);
        await silo.RegisterSitesAsync(history.Sites);
        using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromMinutes(5) }.Authorize();
        var funnel = await CreateFunnelAsync(http, site);
        var ours = $"api/sites/{site}/funnels/{funnel}?from={first:yyyy-MM-dd}&to={last:yyyy-MM-dd}";
        var sql = WindowFunnelSql(site, first, last);

        // The first run also reads and decodes the site's segments (no query touched them before).
        var (cold, ourSteps) = await RunOursAsync(http, ours);
        var (_, theirRow) = await clickHouse.RunSqlAsync(sql);
        var theirSteps = theirRow.Split(", ").Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var rounds = Math.Max(5, s.WarmRepetitions / 3);
        var oursMs = new List<double>();
        var theirsMs = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            oursMs.Add((await RunOursAsync(http, ours)).Ms);
            theirsMs.Add((await clickHouse.RunSqlAsync(sql)).Ms);
        }

        var report = new Report("funnel", "Funnel over 30 days: our funnel endpoint vs ClickHouse windowFunnel, same rows, same run");
        var table = report.Table(["engine", "p50 ms", "p95 ms", "first run ms", "all visitors", .. Steps.Select((p, i) => $"step {i + 1} {p}")]);
        table.Add(["ours (GET /api/sites/{site}/funnels/{id})", Report.F(Percentiles.Of(oursMs, 50)), Report.F(Percentiles.Of(oursMs, 95)), Report.F(cold, 0),
            .. ourSteps.Select(v => v.ToString("N0", CultureInfo.InvariantCulture))]);
        table.Add(["ClickHouse windowFunnel", Report.F(Percentiles.Of(theirsMs, 50)), Report.F(Percentiles.Of(theirsMs, 95)), "–",
            .. theirSteps.Select(v => v.ToString("N0", CultureInfo.InvariantCulture))]);
        var ratio = Percentiles.Of(theirsMs, 95) / Percentiles.Of(oursMs, 95);
        var siteEvents = history.Events.Count(e => e.Site == site);
        report.Note($"Data: {imported.Events:N0} events, {history.Sites.Count} sites, {s.HistoryDays} days ({first:yyyy-MM-dd} .. {last:yyyy-MM-dd}); the site `{site}` has {siteEvents:N0} events. ClickHouse 18.16 loaded in {loaded.TotalSeconds:N1} s. Machine load average at the end (2 shared cores): {File.ReadAllText("/proc/loadavg").Trim()}.");
        report.Note($"Rounds: {rounds}, interleaved (ours, then ClickHouse). ClickHouse p95 / ours p95 = {Report.F(ratio, 2)}× (> 1: ours is faster). Ours is timed at the HTTP client (JSON, the goals grain and the Orleans calls included); it is never cached. ClickHouse over HTTP.");
        report.Note("The question: a funnel of three page goals, / then /pricing then /about, in that order within one visit (other pages may come between), counted in visitors. ClickHouse:");
        report.Note(string.Empty);
        report.Note("```sql");
        report.Note(sql);
        report.Note("```");
        report.Note(string.Empty);
        report.Note("windowFunnel(window)(ts, c1, c2, c3) finds, per group, the longest chain c1 → c2 → c3 in time order whose steps lie within `window` seconds of its first. Grouped by (visitor, session) with a window as long as the range, a chain is bounded by the visit, as ours is; the visitor's level is the highest of their visits. Its counts are exact; ours are exact up to 2,048 visitors per step, then a HyperLogLog sketch.");
        var mismatches = ourSteps.Zip(theirSteps, (o, t) => (o, t)).Where(p => Math.Abs(p.o - p.t) > Math.Max(1, Tolerance * p.t)).ToList();
        report.Note(mismatches.Count == 0
            ? $"Cross-check: every count within {Tolerance:P0} of ClickHouse's: **agree**."
            : $"Cross-check: **disagree** on {mismatches.Count} count(s).");
        Report.BarPlot(Path.Combine(context.ResultsDir, "funnel.png"), "Three-step funnel over 30 days, p95", "ms", ["p50", "p95"],
            ("ours", [Percentiles.Of(oursMs, 50), Percentiles.Of(oursMs, 95)]), ("ClickHouse", [Percentiles.Of(theirsMs, 50), Percentiles.Of(theirsMs, 95)]));
        if (mismatches.Count > 0)
        {
            report.Write(context.ResultsDir);
            throw new InvalidOperationException($"the funnel's counts disagree: ours {string.Join(", ", ourSteps)}, ClickHouse {string.Join(", ", theirSteps)}");
        }

        return report;
    }

    /// <summary>
    /// Visitors of the range (non-engagement events, as ours counts them), then per step the visitors whose best visit
    /// reached it. Page goals complete on pageviews only.
    /// </summary>
    public static string WindowFunnelSql(string site, DateOnly first, DateOnly last)
    {
        var window = (int)(last.AddDays(1).ToDateTime(TimeOnly.MinValue) - first.ToDateTime(TimeOnly.MinValue)).TotalSeconds;
        var conditions = string.Join(", ", Steps.Select(p => $"name = 'pageview' AND page = '{p}'"));
        var levels = string.Join(", ", Steps.Select((_, i) => $"countIf(level >= {i + 1})"));
        return $"""
            SELECT count(), {levels} FROM (
              SELECT visitor, max(level) AS level FROM (
                SELECT visitor, session, windowFunnel({window})(ts, {conditions}) AS level
                FROM events
                WHERE site = '{site}' AND ts >= toDateTime('{first:yyyy-MM-dd} 00:00:00') AND ts < toDateTime('{last.AddDays(1):yyyy-MM-dd} 00:00:00') AND name != 'engagement'
                GROUP BY visitor, session)
              GROUP BY visitor)
            """;
    }

    /// <summary>The site's three page goals and a funnel of them, through the API as an owner makes them; the funnel's id.</summary>
    private static async Task<long> CreateFunnelAsync(HttpClient http, string site)
    {
        var goals = new List<long>();
        foreach (var path in Steps)
        {
            using var created = await http.PostAsJsonAsync($"api/sites/{site}/goals", new { page_path = path });
            created.EnsureSuccessStatusCode();
            goals.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        }

        using var funnel = await http.PostAsJsonAsync($"api/sites/{site}/funnels", new { name = "Bench funnel", steps = goals });
        funnel.EnsureSuccessStatusCode();
        return (await funnel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    /// <summary>One funnel report: elapsed ms, then all visitors and each step's visitors.</summary>
    private static async Task<(double Ms, long[] Counts)> RunOursAsync(HttpClient http, string path)
    {
        var sw = Stopwatch.StartNew();
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        var ms = sw.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the funnel answered {(int)response.StatusCode}: {text}");
        }

        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        return (ms, [root.GetProperty("all_visitors").GetInt64(), .. root.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("visitors").GetInt64())]);
    }
}
