using System.Globalization;

namespace Analytics.Bench.Infra;

/// <summary>
/// What one timed request cost the silo and the rest of the machine, from /proc: the silo's CPU (user and kernel), its
/// minor page faults (memory the kernel had to map and zero for it), its threads' CPU by name (".NET TP Worker" runs
/// the request; ".NET Tiered Com" is the runtime compiling hot code again, optimized; ".NET Server GC" and ".NET BGC"
/// collect), and the machine's other busy CPU (the bench's client and the peers' background work). Tells a slow run that
/// did more work, or shared its cores, from one that waited. /proc counts CPU in ticks of 10 ms; a thread that ended
/// during the run is gone from it, with its CPU (the silo's pool and runtime threads live on).
/// </summary>
public sealed record RunCost(double SiloCpuMs, double SiloKernelMs, long MinorFaults, double OthersCpuMs, IReadOnlyList<(string Thread, double Ms)> Threads)
{
    private const int ThreadsNamed = 3;

    /// <summary>The reading before the run: the threads first, so that reading them is not counted as the machine's.</summary>
    public static Reading Before(int pid)
    {
        var threads = ProcStats.ThreadTicks(pid);
        return new Reading(ProcStats.CountersOf(pid), ProcStats.MachineBusySeconds(), threads);
    }

    /// <summary>The cost since <paramref name="before"/>: the process and the machine first, the threads last.</summary>
    public static RunCost Since(int pid, Reading before)
    {
        var silo = ProcStats.CountersOf(pid).Minus(before.Silo);
        var machine = ProcStats.MachineBusySeconds();
        var siloMs = (silo.UserSeconds + silo.SystemSeconds) * 1000;
        return new RunCost(
            siloMs,
            silo.SystemSeconds * 1000,
            silo.MinorFaults,
            Math.Max(0, ((machine - before.MachineBusySeconds) * 1000) - siloMs),
            ByName(before.Threads, ProcStats.ThreadTicks(pid)));
    }

    /// <summary>
    /// Each thread's ticks between two readings (a thread new since the first counts from 0, as does an id the kernel gave
    /// to another thread meanwhile; one gone by the second is left out), summed by name, busiest first.
    /// </summary>
    public static IReadOnlyList<(string Thread, double Ms)> ByName(
        IReadOnlyDictionary<int, (string Name, long Ticks)> before, IReadOnlyDictionary<int, (string Name, long Ticks)> after) =>
        [.. after
            .GroupBy(
                t => t.Value.Name,
                t => t.Value.Ticks - (before.TryGetValue(t.Key, out var was) && was.Name == t.Value.Name && was.Ticks <= t.Value.Ticks ? was.Ticks : 0),
                StringComparer.Ordinal)
            .Select(g => (Thread: g.Key, Ms: g.Sum() * 1000 / ProcStats.TicksPerSecond))
            .Where(t => t.Ms > 0)
            .OrderByDescending(t => t.Ms)
            .ThenBy(t => t.Thread, StringComparer.Ordinal)];

    /// <summary>"CPU 120 (kernel 10; .NET TP Worker 90, .NET Tiered Com 30), 2,100 faults, others 10": the busiest threads only.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"CPU {SiloCpuMs:N0} (kernel {SiloKernelMs:N0}; {string.Join(", ", Threads.Take(ThreadsNamed).Select(t => $"{t.Thread} {t.Ms:N0}"))}), {MinorFaults:N0} faults, others {OthersCpuMs:N0}");

    public sealed record Reading(ProcStats.Counters Silo, double MachineBusySeconds, IReadOnlyDictionary<int, (string Name, long Ticks)> Threads);
}
