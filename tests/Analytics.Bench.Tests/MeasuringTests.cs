using System.Runtime.InteropServices;
using Analytics.Bench.Infra;
using Analytics.Testing;

namespace Analytics.Bench.Tests;

/// <summary>The bench's reading of its signals: a Prometheus scrape, lane checkpoints, and what bounds a window.</summary>
public sealed class MeasuringTests
{
    // As the OpenTelemetry Prometheus exporter writes it: comments, labels, a unit suffix, the runtime's counters.
    private const string Scrape = """
        # TYPE analytics_lanes_open_sessions gauge
        # HELP analytics_lanes_open_sessions Visitors whose session state the silo's lanes hold.
        analytics_lanes_open_sessions{otel_scope_name="Analytics.Lanes"} 1200 1733140000000
        analytics_lanes_open_sessions{otel_scope_name="Analytics.Lanes",lane="2"} 800
        # TYPE analytics_lanes_session_bytes gauge
        analytics_lanes_session_bytes{otel_scope_name="Analytics.Lanes"} 3.5E5
        dotnet_gc_pause_time_seconds_total{otel_scope_name="System.Runtime"} 1.25
        analytics_ingestion_step_duration_seconds_bucket{step="write_to_sink",le="+Inf"} 7
        """;

    [Fact]
    public void A_scrape_sums_every_series_of_a_metric_and_misses_what_is_not_exposed()
    {
        var scrape = PrometheusScrape.Parse(Scrape);

        Assert.Equal(2000, scrape.Sum(PrometheusScrape.OpenSessions));
        Assert.Equal(350_000, scrape.Sum(PrometheusScrape.SessionBytes));
        Assert.Equal(1.25, scrape.Sum(PrometheusScrape.GcPauseSeconds));
        Assert.Null(scrape.Sum(PrometheusScrape.AllocatedBytes));
    }

    [Fact]
    public void A_unit_suffix_the_exporter_appends_still_counts()
    {
        var scrape = PrometheusScrape.Parse("analytics_lanes_session_bytes_bytes 42\n");

        Assert.Equal(42, scrape.Sum(PrometheusScrape.SessionBytes));
        Assert.Null(PrometheusScrape.Parse("analytics_lanes_session 42\n").Sum(PrometheusScrape.SessionBytes));
    }

    [Fact]
    public void A_log_is_drained_only_when_every_lane_with_rows_has_a_checkpoint_at_its_last_row()
    {
        var tails = new Dictionary<long, long> { [0] = 10, [1] = 12 };

        Assert.False(LaneProgress.Drained(tails, new Dictionary<long, long> { [0] = 10 }));
        Assert.False(LaneProgress.Drained(tails, new Dictionary<long, long> { [0] = 10, [1] = 11 }));
        Assert.True(LaneProgress.Drained(tails, new Dictionary<long, long> { [0] = 10, [1] = 12, [2] = 3 }));
    }

    [Fact]
    public async Task Events_delivered_at_noted_checkpoints_are_the_rows_at_or_below_them_in_each_lane()
    {
        var dir = Directory.CreateTempSubdirectory("lane-progress-").FullName;
        try
        {
            var at = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
            var events = Enumerable.Range(0, 300).Select(i => TestEvents.Pageview($"visitor-{i}", at.AddSeconds(i))).ToList();
            await HistoryImport.AppendAsync(dir, events);
            var progress = new LaneProgress(dir);
            var tails = progress.Tails();
            Assert.True(tails.Count > 1, "the visitors should spread over several lanes");

            Assert.Equal(300, progress.DeliveredAt(tails));
            Assert.Equal(0, progress.DeliveredAt(new Dictionary<long, long>()));
            // One lane up to its tail, the others not begun: that lane's rows only.
            var (lane, tail) = tails.First();
            var one = progress.DeliveredAt(new Dictionary<long, long> { [lane] = tail });
            Assert.InRange(one, 1, 299);
            Assert.Equal(300, one + progress.DeliveredAt(tails.Where(t => t.Key != lane).ToDictionary()));
            Assert.Equal(one - 1, progress.DeliveredAt(new Dictionary<long, long> { [lane] = tail - 1 }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_window_with_busy_cores_is_bound_by_the_CPU_and_names_the_biggest_user()
    {
        var cores = Environment.ProcessorCount;
        var busy = new ResourceProfile.Window(10, 0.3 * cores, 0.1 * cores, 0.55 * cores, 0.08, 300, 2, "");
        var idle = new ResourceProfile.Window(10, 0.2 * cores, 0.1 * cores, 0.1 * cores, null, null, null, "");

        Assert.StartsWith("CPU (", busy.Bound(), StringComparison.Ordinal);
        Assert.Contains("most by other processes", busy.Bound(), StringComparison.Ordinal);
        Assert.Contains("GC pauses 8 %", busy.Describe(), StringComparison.Ordinal);
        Assert.StartsWith("not CPU", idle.Bound(), StringComparison.Ordinal);
        Assert.Contains("GC n/a", idle.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_threads_cost_is_each_threads_own_difference_summed_by_name()
    {
        var before = new Dictionary<int, (string Name, long Ticks)>
        {
            [10] = (".NET TP Worker", 500),
            [11] = (".NET TP Worker", 300),
            [12] = (".NET Tiered Com", 900), // ends during the run: its past CPU is not taken off anyone
            [13] = ("old name", 700), // its id goes to a new thread meanwhile
        };
        var after = new Dictionary<int, (string Name, long Ticks)>
        {
            [10] = (".NET TP Worker", 509),
            [11] = (".NET TP Worker", 303),
            [13] = (".NET BGC", 2),
            [14] = (".NET Tiered Com", 4), // new since the first reading
            [15] = ("idle", 0),
        };

        Assert.Equal(new[] { (".NET TP Worker", 120.0), (".NET Tiered Com", 40.0), (".NET BGC", 20.0) }, RunCost.ByName(before, after));
    }

    [Fact]
    public void A_run_cost_reads_a_named_threads_CPU_and_the_memory_it_touched_from_proc()
    {
        const string Name = "rc (spin) 1"; // a comm with a space and parentheses, as /proc writes it
        const int Bytes = 64 << 20;
        var before = RunCost.Before(Environment.ProcessId);
        using var seen = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var spin = new Thread(() =>
        {
            // Fresh memory from the kernel (glibc maps a block above 32 MB on its own), one write per 4 KiB page.
            var block = Marshal.AllocHGlobal(Bytes);
            for (var at = 0; at < Bytes; at += 4096)
            {
                Marshal.WriteByte(block, at, 1);
            }

            Marshal.FreeHGlobal(block);
            // Spins until /proc shows 100 ms of its own CPU, however long a busy machine takes to give it that.
            while (!release.IsSet && !RunCost.Since(Environment.ProcessId, before).Threads.Any(t => t.Thread == Name && t.Ms >= 100))
            {
            }

            seen.Set();
            release.Wait(); // a thread that has ended is gone from /proc, its CPU with it
        }) { Name = Name, IsBackground = true };
        spin.Start();
        try
        {
            Assert.True(seen.Wait(TimeSpan.FromSeconds(30)), "the thread's CPU never showed in /proc");
            var cost = RunCost.Since(Environment.ProcessId, before);

            Assert.Contains(cost.Threads, t => t.Thread == Name && t.Ms >= 100);
            Assert.True(cost.SiloCpuMs >= 100, cost.Describe());
            // 16 384 faults with 4 KiB pages; 32 where the kernel backs the block with 2 MiB pages (THP "always").
            Assert.True(cost.MinorFaults >= 16, cost.Describe());
        }
        finally
        {
            release.Set();
            spin.Join();
        }
    }
}
