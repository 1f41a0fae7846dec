using System.Diagnostics;
using System.Globalization;

namespace Analytics.Bench.Infra;

/// <summary>
/// Where the machine's CPU went during a measured window: the server processes (silo, gateway), the load generator
/// (this bench process), and everything else on the machine (other engineers' builds share these cores); the servers'
/// GC pauses and allocations (their System.Runtime meter on /metrics) and their storage writes (/proc/PID/io).
/// Take a <see cref="Snapshot"/> before and after; <see cref="Window"/> says which of them bounds the figure.
/// </summary>
public static class ResourceProfile
{
    /// <param name="Servers">How many server processes were measured.</param>
    /// <param name="GcServers">How many of them answered on /metrics (the GC figures are theirs).</param>
    public sealed record Snapshot(long Timestamp, int Servers, double ServerCpu, double GeneratorCpu, double MachineBusy, long? Written, double? GcPause, double? Allocated, int GcServers)
    {
        /// <summary>The counters of a server that has just started: everything since its start counts.</summary>
        public static Snapshot ProcessStart(long timestamp, double generatorCpu, double machineBusy) => new(timestamp, 1, 0, generatorCpu, machineBusy, 0, 0, 0, 1);
    }

    public static async Task<Snapshot> CaptureAsync(IReadOnlyList<int> serverPids, IReadOnlyList<Uri> metricsHosts)
    {
        double? pause = null, allocated = null;
        var answered = 0;
        foreach (var host in metricsHosts)
        {
            if (await PrometheusScrape.ReadAsync(host) is { } scrape && scrape.Sum(PrometheusScrape.GcPauseSeconds) is { } p)
            {
                pause = (pause ?? 0) + p;
                allocated = Add(allocated, scrape.Sum(PrometheusScrape.AllocatedBytes));
                answered++;
            }
        }

        return Capture(serverPids) with { GcPause = pause, Allocated = allocated, GcServers = answered };
    }

    /// <summary>The /proc figures alone (no HTTP): usable while a server is still starting.</summary>
    public static Snapshot Capture(IReadOnlyList<int> serverPids)
    {
        long? written = 0;
        foreach (var pid in serverPids)
        {
            written = ProcStats.WrittenBytes(pid) is { } w && written is { } sum ? sum + w : null;
        }

        return new Snapshot(Stopwatch.GetTimestamp(), serverPids.Count, serverPids.Sum(ProcStats.CpuSeconds),
            Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, ProcStats.MachineBusySeconds(), written, null, null, 0);
    }

    /// <summary>
    /// The servers' CPU per item and the rate it allows with every core of the machine to themselves: a bound that the
    /// other processes sharing these cores do not move.
    /// </summary>
    public static string CpuCeiling(double serverCpuSeconds, long items, string unit)
    {
        var micros = serverCpuSeconds * 1e6 / Math.Max(1, items);
        var cores = Environment.ProcessorCount;
        return $"{micros.ToString("N0", CultureInfo.InvariantCulture)} µs of server CPU per {unit}: at most {(cores * 1e6 / micros).ToString("N0", CultureInfo.InvariantCulture)} {unit}s/s with all {cores} cores";
    }

    private static double? Add(double? a, double? b) => a is null ? b : b is null ? a : a + b;

    public sealed record Window(double Seconds, double ServerCores, double GeneratorCores, double OtherCores, double? GcPauseShare, double? AllocatedMiBPerSecond, double? WrittenMiBPerSecond, string GcOf)
    {
        public static Window Between(Snapshot a, Snapshot b)
        {
            var seconds = Stopwatch.GetElapsedTime(a.Timestamp, b.Timestamp).TotalSeconds;
            var server = (b.ServerCpu - a.ServerCpu) / seconds;
            var generator = (b.GeneratorCpu - a.GeneratorCpu) / seconds;
            var other = Math.Max(0, ((b.MachineBusy - a.MachineBusy) / seconds) - server - generator);
            return new Window(seconds, server, generator, other,
                b.GcPause - a.GcPause is { } p ? p / seconds : null,
                b.Allocated - a.Allocated is { } m ? m / 1048576 / seconds : null,
                b.Written - a.Written is { } w ? w / 1048576.0 / seconds : null,
                b.GcServers < b.Servers ? $" ({b.GcServers} of {b.Servers} servers expose /metrics)" : "");
        }

        /// <summary>The figures, one line: "server 1.62 cores (GC pauses 8 % of the time, 310 MiB/s allocated), …".</summary>
        public string Describe()
        {
            var gc = GcPauseShare is { } g ? $", GC pauses {g:P0} of the time{GcOf}" : ", GC n/a";
            var alloc = AllocatedMiBPerSecond is { } m ? $", {m.ToString("N0", CultureInfo.InvariantCulture)} MiB/s allocated" : "";
            var io = WrittenMiBPerSecond is { } w ? $"; storage writes {w.ToString("N1", CultureInfo.InvariantCulture)} MiB/s" : "";
            return $"server {Cores(ServerCores)} cores{gc}{alloc}; load generator {Cores(GeneratorCores)}; other processes {Cores(OtherCores)} (of {Environment.ProcessorCount}){io}";
        }

        /// <summary>
        /// What bounds the window: the CPU when the machine's cores were (nearly) all busy — naming who used them —,
        /// otherwise not the CPU (the servers wait: storage, flush intervals, round trips).
        /// </summary>
        public string Bound()
        {
            var busy = ServerCores + GeneratorCores + OtherCores;
            var cores = Environment.ProcessorCount;
            if (busy < 0.85 * cores)
            {
                return $"not CPU: {Cores(busy)} of {cores} cores busy (the servers wait: storage, flushes, round trips); {Describe()}";
            }

            var who = new[] { ("the server", ServerCores), ("the load generator", GeneratorCores), ("other processes", OtherCores) }.MaxBy(x => x.Item2).Item1;
            return $"CPU ({Cores(busy)} of {cores} cores busy, most by {who}): {Describe()}";
        }

        private static string Cores(double v) => v.ToString("N2", CultureInfo.InvariantCulture);
    }
}
