using System.Globalization;

namespace Analytics.Bench;

/// <summary>Scale of a run. --quick: every scenario small (the whole run under two minutes); default: the full run.</summary>
public sealed record BenchSettings
{
    public static readonly string[] AllScenarios = ["ingest", "pair", "freshness", "grid", "queries", "peers", "memory", "kafka", "soak", "engine", "funnel"];

    /// <summary>--scenario lanes: the scenarios that measure issue #17's targets (results/lanes.md sums them up).</summary>
    public const string LanesScenario = "lanes";

    public bool Quick { get; init; }
    public IReadOnlyList<string> Scenarios { get; init; } = AllScenarios;
    public string? ResultsDir { get; init; }
    public int Seed { get; init; } = 42;

    public int IngestConnections { get; init; } = 64;
    // Load before the ingest and freshness measurements (--warmup S), long enough for tiered compilation to reach optimized
    // code: with 3 s the JIT still took ~14 % of the silo's CPU samples in the measured window (perf, session 3), and a
    // fresh silo takes ~4k beacons/s in its first 15 s against ~8k/s after a minute (dynamic PGO instruments the first ~30 s).
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan IngestDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Offered rates of the freshness scenario (--rate 5000,15000), one measurement (and a fresh silo) per rate.</summary>
    public double[] FreshnessRates { get; init; } = [5_000, 15_000];
    public TimeSpan FreshnessDuration { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan ProbeEvery { get; init; } = TimeSpan.FromMilliseconds(100);

    public int Sites { get; init; } = 20;
    public int HistoryEvents { get; init; } = 1_000_000;

    /// <summary>
    /// The grid scenario's backlog (--grid-events N). Larger than the shared history: a fresh silo runs tier-0 and
    /// instrumented (dynamic PGO) code for its first seconds, and 1M events drain in ~10 s, so that figure measured the
    /// start-up more than the lanes (bench/README, session 44). The report gives the first seconds' rate beside it.
    /// </summary>
    public int GridEvents { get; init; } = 3_000_000;
    public int HistoryDays { get; init; } = 30;
    public int WarmRepetitions { get; init; } = 30;
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public int[] MemoryVisitors { get; init; } = [100_000, 1_000_000];

    /// <summary>Beacons per profile in the kafka scenario (--beacons N).</summary>
    public int KafkaBeacons { get; init; } = 50_000;

    /// <summary>The soak scenario's steady rate (--soak-rate), how long it lasts (--soak-seconds) and how often RSS is sampled.</summary>
    public double SoakRate { get; init; } = 200;
    public TimeSpan SoakDuration { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan SoakSampleEvery { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The engine scenario's peers (--engine-peers postgresql,clickhouse,duckdb or none): leaving them out spares their load.</summary>
    public string[] EnginePeers { get; init; } = ["PostgreSQL", "ClickHouse", "DuckDB"];

    /// <summary>The engine scenario's answering silo runs in a memory limit of this many MiB (--silo-limit-mib N; see <c>MemoryLimit</c>), or without one.</summary>
    public int? SiloLimitMiB { get; init; }

    /// <summary>Leaves the work directory (data dirs, silo logs) in place at the end (--keep-work), to profile a silo on a scenario's data afterwards.</summary>
    public bool KeepWork { get; init; }

    /// <summary>Extra environment for every silo process (--silo-env KEY=VALUE), for experiments.</summary>
    public IReadOnlyDictionary<string, string> SiloEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra environment for the kafka scenario's standalone gateway (--gateway-env KEY=VALUE), for experiments.</summary>
    public IReadOnlyDictionary<string, string> GatewayEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>The pair scenario's silo B's extra environment (--pair-env KEY=VALUE; none: an A/A run).</summary>
    public IReadOnlyDictionary<string, string> PairEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The silo the pair scenario's B runs (--pair-silo PATH, an Analytics.Silo.dll): another build, such as one of the
    /// commit before a change, side by side with this one's. Null: this build, like A.
    /// </summary>
    public string? PairSiloDll { get; init; }

    /// <summary>The pair scenario's measured windows (--pair-windows N), each --duration long.</summary>
    public int PairWindows { get; init; } = 6;

    public static BenchSettings Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var s = quick
            ? new BenchSettings
            {
                Quick = true,
                IngestConnections = 16,
                Warmup = TimeSpan.FromSeconds(1),
                IngestDuration = TimeSpan.FromSeconds(3),
                FreshnessRates = [300, 600],
                FreshnessDuration = TimeSpan.FromSeconds(4),
                ProbeEvery = TimeSpan.FromMilliseconds(200),
                Sites = 5,
                HistoryEvents = 20_000,
                GridEvents = 20_000,
                WarmRepetitions = 5,
                DrainTimeout = TimeSpan.FromSeconds(60),
                MemoryVisitors = [2_000, 8_000],
                KafkaBeacons = 1_000,
                SoakRate = 100,
                SoakDuration = TimeSpan.FromSeconds(25),
                SoakSampleEvery = TimeSpan.FromSeconds(1),
                PairWindows = 2,
            }
            : new BenchSettings();

        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--quick":
                    break;
                case "--scenario":
                    var names = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .SelectMany(n => n == LanesScenario ? Infra.LanesSummary.Scenarios : [n]).Distinct().ToArray();
                    foreach (var n in names.Where(n => !AllScenarios.Contains(n)))
                    {
                        throw new ArgumentException($"unknown scenario '{n}'; known: {string.Join(", ", AllScenarios)}, {LanesScenario} (= {string.Join(",", Infra.LanesSummary.Scenarios)})");
                    }

                    s = s with { Scenarios = names };
                    break;
                case "--results":
                    s = s with { ResultsDir = Path.GetFullPath(Next()) };
                    break;
                case "--events":
                    s = s with { HistoryEvents = int.Parse(Next(), CultureInfo.InvariantCulture) };
                    break;
                case "--grid-events":
                    s = s with { GridEvents = int.Parse(Next(), CultureInfo.InvariantCulture) };
                    break;
                case "--sites":
                    s = s with { Sites = int.Parse(Next(), CultureInfo.InvariantCulture) };
                    break;
                case "--duration":
                    s = s with { IngestDuration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)), FreshnessDuration = TimeSpan.FromSeconds(double.Parse(args[i], CultureInfo.InvariantCulture)) };
                    break;
                case "--warmup":
                    s = s with { Warmup = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) };
                    break;
                case "--beacons":
                    s = s with { KafkaBeacons = int.Parse(Next(), CultureInfo.InvariantCulture) };
                    break;
                case "--rate":
                    s = s with { FreshnessRates = [.. Next().Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture))] };
                    break;
                case "--connections":
                    s = s with { IngestConnections = int.Parse(Next(), CultureInfo.InvariantCulture) };
                    break;
                case "--soak-rate":
                    s = s with { SoakRate = double.Parse(Next(), CultureInfo.InvariantCulture) };
                    break;
                case "--soak-seconds":
                    s = s with { SoakDuration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) };
                    break;
                case "--silo-env":
                    var kv = Next().Split('=', 2);
                    s = s with { SiloEnvironment = new Dictionary<string, string>(s.SiloEnvironment) { [kv[0]] = kv[1] } };
                    break;
                case "--gateway-env":
                    var gateway = Next().Split('=', 2);
                    s = s with { GatewayEnvironment = new Dictionary<string, string>(s.GatewayEnvironment) { [gateway[0]] = gateway[1] } };
                    break;
                case "--pair-env":
                    var pair = Next().Split('=', 2);
                    s = s with { PairEnvironment = new Dictionary<string, string>(s.PairEnvironment) { [pair[0]] = pair[1] } };
                    break;
                case "--pair-silo":
                    s = s with { PairSiloDll = Path.GetFullPath(Next()) is var dll && File.Exists(dll) ? dll : throw new ArgumentException($"--pair-silo: no file {dll}") };
                    break;
                case "--pair-windows":
                    s = s with { PairWindows = int.Parse(Next(), CultureInfo.InvariantCulture) is var windows and >= 1 ? windows : throw new ArgumentException("--pair-windows needs at least 1") };
                    break;
                case "--silo-limit-mib":
                    s = s with { SiloLimitMiB = int.Parse(Next(), CultureInfo.InvariantCulture) };
                    break;
                case "--engine-peers":
                    s = s with { EnginePeers = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(p => p != "none")] };
                    break;
                case "--keep-work":
                    s = s with { KeepWork = true };
                    break;
                case "--memory-visitors":
                    s = s with { MemoryVisitors = [.. Next().Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))] };
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}'. Usage: [--quick] [--scenario {string.Join("|", AllScenarios)}|{LanesScenario}[,...]] [--results DIR] [--events N] [--grid-events N] [--sites N] [--duration S] [--warmup S] [--rate R1,R2] [--connections N] [--memory-visitors A,B] [--beacons N] [--soak-rate R] [--soak-seconds S] [--engine-peers postgresql,clickhouse,duckdb|none] [--silo-env K=V] [--gateway-env K=V] [--pair-env K=V] [--pair-silo PATH] [--pair-windows N] [--silo-limit-mib N] [--keep-work]");
            }
        }

        return s;
    }
}
