using System.Globalization;
using System.Text;

namespace Analytics.Bench.Infra;

/// <summary>
/// results/lanes.md: every target of issue #17 (visitor lanes) side by side, as measured in this run: the figure, met or
/// missed, and the profile of a miss. Written by any run that includes one of the scenarios measuring them
/// (<c>--scenario lanes</c> runs all of them).
/// </summary>
public static class LanesSummary
{
    public const string IngestRate = "embedded ingest ≥ 20,000 accepted beacons/s";
    public const string IngestRatio = "embedded ingest ≥ 50 % of bare Kestrel";
    public const string GridRate = "through the grid without HTTP ≥ 100,000 events/s";
    public const string Memory = "1,000,000 distinct visitors in one day (burst): silo RSS < 1 GB";
    public const string SessionBytes = "bytes per open session (reported)";
    public const string KafkaRate = "cluster profile ≥ 5,000 beacons/s through one gateway";
    public const string KafkaLag = "cluster profile lag p99 < 2 s";
    public const string KafkaCommit = "cluster profile: time until every message is committed (reported)";

    /// <summary>The scenarios that measure #17's targets, in the order <c>--scenario lanes</c> runs them.</summary>
    public static readonly string[] Scenarios = ["grid", "freshness", "memory", "ingest", "kafka"];

    public static string Freshness(double rate) => $"freshness p99 < 1 s at {rate.ToString("N0", CultureInfo.InvariantCulture)} events/s offered";

    private static readonly (string Scenario, string Target)[] Issue17 =
    [
        ("ingest", IngestRate), ("ingest", IngestRatio), ("grid", GridRate), ("freshness", Freshness(5_000)), ("freshness", Freshness(15_000)),
        ("memory", Memory), ("memory", SessionBytes), ("kafka", KafkaRate), ("kafka", KafkaLag), ("kafka", KafkaCommit),
    ];

    public static void Write(string resultsDir, BenchSettings settings, IReadOnlyList<TargetResult> measured, IReadOnlyDictionary<string, string> skipped)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Issue #17 (visitor lanes): every target, one run").AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Run: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, scenarios {string.Join(", ", settings.Scenarios)}; machine load average at the end {File.ReadAllText("/proc/loadavg").Trim()}.");
        if (settings.Quick)
        {
            sb.AppendLine().AppendLine("**Quick run**: sizes, rates and durations far below the targets' conditions; these figures say nothing about the targets.");
        }

        sb.AppendLine().AppendLine("| target | figure | met? | what bounds it (profile of the measured window) |").AppendLine("| --- | --- | --- | --- |");
        foreach (var (scenario, target) in Issue17)
        {
            var rows = measured.Where(m => m.Target == target).ToList();
            if (rows.Count == 0)
            {
                var why = skipped.TryGetValue(scenario, out var reason) ? $"scenario {scenario} skipped: {reason}"
                    : measured.Any(m => m.Scenario == scenario) ? $"scenario {scenario} measured other conditions in this run (below)"
                    : settings.Scenarios.Contains(scenario) ? $"scenario {scenario} failed (see the bench output)"
                    : $"scenario {scenario} not in this run";
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {target} | — | not measured | {Cell(why)} |");
            }

            foreach (var m in rows)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {target} | {Cell(m.Figure)} | {Verdict(m.Met)} | {Cell(m.Bound)} |");
            }
        }

        // Rows measured at other conditions (e.g. the quick run's freshness rates) follow the issue's own.
        foreach (var m in measured.Where(m => !Issue17.Any(t => t.Target == m.Target)))
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {m.Target} (not one of #17's conditions) | {Cell(m.Figure)} | {Verdict(m.Met)} | {Cell(m.Bound)} |");
        }

        sb.AppendLine().AppendLine("Profiles: CPU cores used during the measured window by the servers (silo, gateway), the load generator (the bench process) and the rest of the machine, from /proc; GC pause share and allocation rate from the servers' System.Runtime meter on /metrics; storage writes from /proc/PID/io. A window is CPU-bound when ≥ 85 % of the cores were busy. Details per scenario in its own report.");
        var text = sb.ToString();
        Console.WriteLine(text);
        File.WriteAllText(Path.Combine(resultsDir, "lanes.md"), text);
    }

    private static string Verdict(bool? met) => met switch { true => "**met**", false => "**missed**", null => "—" };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
