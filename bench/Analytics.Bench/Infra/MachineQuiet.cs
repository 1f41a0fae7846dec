using System.Diagnostics;

namespace Analytics.Bench.Infra;

/// <summary>
/// Waits for the machine to go quiet before a measurement one busy second distorts, such as a silo's first answer after
/// a restart: the peers loaded just before keep working in the background (PostgreSQL's autovacuum of the fresh table,
/// ClickHouse's merges) and take cores from it.
/// </summary>
public static class MachineQuiet
{
    private static readonly TimeSpan Sample = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Samples the machine's busy cores every half second until a sample is at most <paramref name="maxBusyCores"/> or
    /// <paramref name="deadline"/> has passed.
    /// </summary>
    /// <param name="busySeconds">The machine's busy CPU seconds so far (<see cref="ProcStats.MachineBusySeconds"/>).</param>
    /// <returns>How long it waited and the busy cores of the last sample.</returns>
    public static async Task<(TimeSpan Waited, double BusyCores)> WaitAsync(double maxBusyCores, TimeSpan deadline, Func<double>? busySeconds = null)
    {
        busySeconds ??= ProcStats.MachineBusySeconds;
        var clock = Stopwatch.StartNew();
        var before = busySeconds();
        var at = clock.Elapsed;
        while (true)
        {
            await Task.Delay(Sample);
            var now = busySeconds();
            var busy = (now - before) / (clock.Elapsed - at).TotalSeconds;
            if (busy <= maxBusyCores || clock.Elapsed >= deadline)
            {
                return (clock.Elapsed, busy);
            }

            before = now;
            at = clock.Elapsed;
        }
    }
}
