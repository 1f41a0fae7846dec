using System.Globalization;

namespace Analytics.Bench.Infra;

/// <summary>
/// What one timed request cost the silo and the rest of the machine, from /proc: the silo's CPU (user and kernel), its
/// minor page faults (memory the kernel had to map and zero for it), its busiest threads by name (".NET TP Worker" runs
/// the request; ".NET Tiered Com" is the runtime compiling hot code again, optimized; ".NET Server GC" and ".NET BGC"
/// collect), and the machine's other busy CPU (the bench's client and the peers' background work). Tells a slow run that
/// did more work, or shared its cores, from one that waited. /proc counts CPU in ticks of 10 ms; a thread that ended
/// during the run is gone from it, with its CPU (the silo's pool and runtime threads live on).
/// </summary>
public sealed record RunCost(double SiloCpuMs, double SiloKernelMs, long MinorFaults, double OthersCpuMs, IReadOnlyList<(string Thread, double Ms)> Threads)
{
    private const double TickMs = 10;
    private const int ThreadsNamed = 3;

    public static Reading Before(int pid) => new(ProcStats.CountersOf(pid), ProcStats.MachineBusySeconds(), ThreadTicks(pid));

    public static RunCost Since(int pid, Reading before)
    {
        var silo = ProcStats.CountersOf(pid).Minus(before.Silo);
        var machine = ProcStats.MachineBusySeconds();
        var threads = ThreadTicks(pid);
        var siloMs = (silo.UserSeconds + silo.SystemSeconds) * 1000;
        return new RunCost(
            siloMs,
            silo.SystemSeconds * 1000,
            silo.MinorFaults,
            Math.Max(0, ((machine - before.MachineBusySeconds) * 1000) - siloMs),
            [.. threads.Select(t => (t.Key, Ms: (t.Value - before.Threads.GetValueOrDefault(t.Key)) * TickMs))
                .Where(t => t.Ms > 0).OrderByDescending(t => t.Ms).Take(ThreadsNamed)]);
    }

    /// <summary>"CPU 120 (kernel 10; .NET TP Worker 90, .NET Tiered Com 30), 2,100 faults, others 10".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"CPU {SiloCpuMs:N0} (kernel {SiloKernelMs:N0}; {string.Join(", ", Threads.Select(t => $"{t.Thread} {t.Ms:N0}"))}), {MinorFaults:N0} faults, others {OthersCpuMs:N0}");

    /// <summary>CPU ticks (user + system) of the process's threads, summed by name (the kernel's comm, at most 15 characters).</summary>
    private static Dictionary<string, long> ThreadTicks(int pid)
    {
        var ticks = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var close = stat.LastIndexOf(')');
                var name = stat[(stat.IndexOf('(') + 1)..close];
                // After "pid (comm) ": the state is field 0, utime 11 and stime 12.
                var fields = stat[(close + 2)..].Split(' ');
                ticks[name] = ticks.GetValueOrDefault(name)
                    + long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The thread ended between the listing and the read; its ticks are lost with it.
            }
        }

        return ticks;
    }

    public sealed record Reading(ProcStats.Counters Silo, double MachineBusySeconds, Dictionary<string, long> Threads);
}
