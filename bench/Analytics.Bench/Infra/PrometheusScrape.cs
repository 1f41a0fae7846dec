using System.Globalization;
using System.Text.RegularExpressions;

namespace Analytics.Bench.Infra;

/// <summary>
/// One scrape of a host's Prometheus endpoint (GET /metrics), every series summed per metric name. Counters and gauges
/// the bench reads: the runtime's GC pause time and allocations (meter System.Runtime), and the lanes' session gauges.
/// </summary>
public sealed partial class PrometheusScrape(IReadOnlyDictionary<string, double> sums)
{
    public const string GcPauseSeconds = "dotnet_gc_pause_time_seconds_total";
    public const string AllocatedBytes = "dotnet_gc_heap_total_allocated_bytes_total";
    public const string HeapBytes = "dotnet_gc_last_collection_heap_size_bytes";
    public const string OpenSessions = "analytics_lanes_open_sessions";
    public const string SessionBytes = "analytics_lanes_session_bytes";
    public const string BatchEventsSum = "analytics_lanes_batch_events_sum";
    public const string BatchEventsCount = "analytics_lanes_batch_events_count";

    /// <summary>Events per batch delivered to the host's lanes between two scrapes; null when it exposes no lanes or none ran.</summary>
    public static double? EventsPerBatch(PrometheusScrape? before, PrometheusScrape? after) =>
        (after?.Sum(BatchEventsSum) - (before?.Sum(BatchEventsSum) ?? 0), after?.Sum(BatchEventsCount) - (before?.Sum(BatchEventsCount) ?? 0)) is (double events, double batches) && batches > 0
            ? events / batches
            : null;

    /// <summary>
    /// The sum of every series of <paramref name="name"/>, or null when the host does not expose it. The exporter may
    /// append a unit suffix to an instrument's name (name_bytes, name_seconds): such a series counts too.
    /// </summary>
    public double? Sum(string name) =>
        sums.TryGetValue(name, out var v) ? v
        : sums.Where(kv => kv.Key.StartsWith(name + "_", StringComparison.Ordinal)).Select(kv => (double?)kv.Value).FirstOrDefault();

    public static async Task<PrometheusScrape?> ReadAsync(Uri baseAddress)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return Parse(await http.GetStringAsync("metrics"));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public static PrometheusScrape Parse(string text)
    {
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (Sample().Match(line) is { Success: true } m
                && double.TryParse(m.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                var name = m.Groups["name"].Value;
                sums[name] = sums.GetValueOrDefault(name) + value;
            }
        }

        return new PrometheusScrape(sums);
    }

    // name{labels} value [timestamp]; comments (# HELP, # TYPE) do not match.
    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(?<value>\S+)")]
    private static partial Regex Sample();
}
