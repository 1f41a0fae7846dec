using System.Diagnostics;
using Analytics.GrainInterfaces.Events;

namespace Analytics.Bench.Infra;

/// <summary>
/// The event log through the grid, timed: the sites are registered on an empty log (a first silo run), the events are
/// appended while the silo is stopped (<see cref="HistoryImport"/>), then the silo starts and its lanes' checkpoints are
/// watched (<see cref="LaneProgress"/>) from the process start until every lane has passed its last row.
/// </summary>
public static class LogDrain
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Returns the running silo (the caller disposes it) and the timings. The window starts at the first checkpoint
    /// movement: a lane's stream receiver checkpoints right below its first outstanding batch on its first read, so that
    /// is the pump's start; it ends when every lane's checkpoint has passed its last row. With <paramref name="early"/>,
    /// the checkpoints are also noted that long after the start, and the events below them counted once the drain is over
    /// (counting reads the whole log, so not while the silo is measured): the rate of the drain's first seconds.
    /// </summary>
    public static async Task<Measurement> RunAsync(string dir, IReadOnlyList<string> sites, IReadOnlyList<TrackedEvent> events,
        Func<string, string> logFile, IReadOnlyDictionary<string, string> env, TimeSpan timeout, MemoryLimit? limit = null, TimeSpan? early = null)
    {
        // Registration is not inside the measured window, and the events arrive for registered sites, as live ones do.
        await using (var setup = await SiloProcess.StartAsync(dir, logFile("setup"), env))
        {
            await setup.RegisterSitesAsync(sites);
        }

        var sw = Stopwatch.StartNew();
        await HistoryImport.AppendAsync(dir, events);
        var appended = sw.Elapsed;
        var progress = new LaneProgress(dir);
        var tails = progress.Tails();
        var before = progress.Checkpoints();

        var launch = ResourceProfile.Snapshot.ProcessStart(Stopwatch.GetTimestamp(), Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, ProcStats.MachineBusySeconds());
        var silo = SiloProcess.Launch(dir, logFile("drain"), env, limit);
        try
        {
            ResourceProfile.Snapshot? first = null;
            long deliveredAtFirst = 0;
            (long Timestamp, Dictionary<long, long> Checkpoints)? noted = null;
            while (true)
            {
                if (silo.HasExited)
                {
                    throw new InvalidOperationException($"the silo exited while delivering; see {silo.LogFile}");
                }

                if (Stopwatch.GetElapsedTime(launch.Timestamp) > timeout)
                {
                    var (all, delivered) = progress.Count();
                    throw new TimeoutException($"the grid delivered {delivered:N0} of {all:N0} events within {timeout}");
                }

                var checkpoints = progress.Checkpoints();
                var readAt = Stopwatch.GetTimestamp();
                var drained = LaneProgress.Drained(tails, checkpoints);
                if (first is null && !drained && checkpoints.Any(c => before.GetValueOrDefault(c.Key) != c.Value))
                {
                    // The GC counters start with the process: its start-up is inside the GC figures, not the CPU ones.
                    first = ResourceProfile.Capture([silo.Pid]) with { GcPause = 0, Allocated = 0 };
                    deliveredAtFirst = progress.Count().Delivered;
                }

                if (drained)
                {
                    break;
                }

                if (first is not null && noted is null && early is { } e && Stopwatch.GetElapsedTime(first.Timestamp) >= e)
                {
                    noted = (readAt, checkpoints);
                }

                await Task.Delay(PollEvery);
            }

            var end = ResourceProfile.Capture([silo.Pid]);
            await silo.WaitHealthyAsync(TimeSpan.FromSeconds(60));
            var scrape = await silo.ScrapeAsync();
            var pause = scrape?.Sum(PrometheusScrape.GcPauseSeconds);
            end = end with { GcPause = pause, Allocated = scrape?.Sum(PrometheusScrape.AllocatedBytes), GcServers = pause is null ? 0 : 1 };
            var atEarly = noted is { } n ? new EarlyWindow(Stopwatch.GetElapsedTime(first!.Timestamp, n.Timestamp), progress.DeliveredAt(n.Checkpoints) - deliveredAtFirst) : null;
            // Drained between two polls before any movement was seen (a tiny log): the window starts at the launch.
            return new Measurement(silo, dir, events.Count, tails.Count, appended, launch, first ?? launch, deliveredAtFirst, end, atEarly);
        }
        catch
        {
            // The next scenario starts its own silo: this one must not keep loading the machine.
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>The drain's first <paramref name="Elapsed"/> after its start, and the events delivered in it.</summary>
    public sealed record EarlyWindow(TimeSpan Elapsed, long Delivered)
    {
        public double PerSecond => Delivered / Elapsed.TotalSeconds;
    }

    public sealed record Measurement(SiloProcess Silo, string DataDirectory, int Events, int Lanes, TimeSpan Appended, ResourceProfile.Snapshot Launch,
        ResourceProfile.Snapshot From, long DeliveredAtFirst, ResourceProfile.Snapshot End, EarlyWindow? Early)
    {
        public TimeSpan FirstAfterStart => Stopwatch.GetElapsedTime(Launch.Timestamp, From.Timestamp);
        public TimeSpan Drain => Stopwatch.GetElapsedTime(From.Timestamp, End.Timestamp);
        public TimeSpan SinceStart => Stopwatch.GetElapsedTime(Launch.Timestamp, End.Timestamp);
        public double PerSecond => (Events - DeliveredAtFirst) / Drain.TotalSeconds;
        public double SiloCpuSeconds => End.ServerCpu - From.ServerCpu;
        public ResourceProfile.Window Profile => ResourceProfile.Window.Between(From, End);
        public static string PollNote => $"every {PollEvery.TotalMilliseconds:N0} ms";
    }
}
