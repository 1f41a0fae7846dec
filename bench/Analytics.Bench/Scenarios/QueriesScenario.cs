using Analytics.Bench.Infra;
using Analytics.Testing;

namespace Analytics.Bench.Scenarios;

/// <summary>
/// 3. Dashboard queries over the loaded history (biggest site, the 30 loaded days) through POST /api/v2/query.
/// Cold: the first run of each query after a silo restart (no grain activated; bucket state read from SQLite).
/// Warm: repeated runs afterwards, twice: the same question again (over closed days the result cache answers it), and
/// each run a question the result cache has not seen (computed from the buckets: closed ones from the bucket cache, open
/// ones from their grains).
/// </summary>
public static class QueriesScenario
{
    public static async Task<Report> RunAsync(BenchContext context)
    {
        var s = context.Settings;
        var history = await context.HistoryAsync();
        var queries = DashboardQuery.For(history.BiggestSite, history.First, history.Last);

        // Restart so the first run of each query is cold.
        await history.Silo.DisposeAsync();
        history.Silo = await SiloProcess.StartAsync(history.DataDir, context.SiloLog("history-restart"), context.Settings.SiloEnvironment);
        using var http = new HttpClient { BaseAddress = history.Silo.BaseAddress, Timeout = TimeSpan.FromSeconds(60) }.Authorize();

        var cold = new List<double>();
        var firstRows = new List<string>();
        foreach (var q in queries)
        {
            var (ms, row) = await q.RunOursAsync(http);
            cold.Add(ms);
            firstRows.Add(row);
        }

        var warm = queries.Select(_ => new List<double>()).ToArray();
        var computed = queries.Select(_ => new List<double>()).ToArray();
        for (var r = 0; r < s.WarmRepetitions; r++)
        {
            for (var i = 0; i < queries.Count; i++)
            {
                warm[i].Add((await queries[i].RunOursAsync(http)).Ms);
                computed[i].Add((await queries[i].RunOursAsync(http, variant: r + 1)).Ms);
            }
        }

        var siteEvents = history.Events.Count(e => e.Site == history.BiggestSite);
        var report = new Report("queries", "Dashboard queries over the loaded history");
        var rows = report.Table("query", "cold ms (1st run)", "warm p50 ms", "warm p95 ms", "computed p50 ms", "computed p95 ms", "first result row");
        for (var i = 0; i < queries.Count; i++)
        {
            rows.Add([queries[i].Name, Report.F(cold[i]), Report.F(Percentiles.Of(warm[i], 50), 2), Report.F(Percentiles.Of(warm[i], 95), 2),
                Report.F(Percentiles.Of(computed[i], 50), 2), Report.F(Percentiles.Of(computed[i], 95), 2), "`" + firstRows[i] + "`"]);
        }

        report.Note($"Data: {history.Events.Count:N0} events over {s.HistoryDays} days ({history.First:yyyy-MM-dd} .. {history.Last:yyyy-MM-dd}), {history.Sites.Count} sites; the queried site `{history.BiggestSite}` has {siteEvents:N0} events. Warm: {s.WarmRepetitions} runs per query. Latency is measured at the HTTP client (includes JSON and the Orleans call).");
        report.Note($"History load: the silo's event-log pump delivered everything through the visitor, aggregator and bucket grains in {history.Drain.TotalSeconds:N1} s ({history.Events.Count / history.Drain.TotalSeconds:N0} events/s).");
        var closed = QueryResultCacheState(history.Last);
        report.Note($"Warm = the same question again; {closed}. Computed = each run a question the result cache has not seen (page size changed by the run number): closed days from the bucket cache, open ones from their grains.");
        var warmP95 = warm.Concat(computed).Select(w => Percentiles.Of(w, 95)).Max();
        report.Note($"Target warm p95 < 50 ms: **{(warmP95 < 50 ? "met" : "missed")}** at this size (worst p95 of both warm kinds {warmP95:N1} ms).");
        Report.BarPlot(Path.Combine(context.ResultsDir, "queries.png"), "Dashboard queries (ours)", "ms",
            [.. queries.Select(q => q.Name.Split(' ')[0])],
            ("cold", [.. cold]), ("warm p95", [.. warm.Select(w => Percentiles.Of(w, 95))]), ("computed p95", [.. computed.Select(w => Percentiles.Of(w, 95))]));
        return report;
    }

    /// <summary>Whether the loaded range was closed (ended over an hour ago) when the bench ran: only then is a result cached.</summary>
    private static string QueryResultCacheState(DateOnly last) =>
        DateTime.UtcNow >= last.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddHours(1)
            ? "the range was closed, so from the second run on the result cache answered"
            : "the range's last day was still open (less than an hour past midnight UTC), so every run was computed";
}
