using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Analytics.Grains.Lanes;

/// <summary>The silo's lanes as gauges: visitors held and the bytes their tables take (bytes per open session = one over the other).</summary>
public sealed class LaneMetrics : IDisposable
{
    public const string MeterName = "Analytics.Lanes";

    private readonly ConcurrentDictionary<string, LaneSessionTable> _tables = new(StringComparer.Ordinal);
    private readonly Meter _meter;

    public LaneMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _meter.CreateObservableGauge("analytics.lanes.open_sessions", () => _tables.Values.Sum(t => (long)t.OpenSessions),
            description: "Visitors whose session state the silo's lanes hold.");
        _meter.CreateObservableGauge("analytics.lanes.session_bytes", () => _tables.Values.Sum(t => t.EstimatedBytes), unit: "By",
            description: "Estimated memory of the silo's lane session tables.");
    }

    /// <summary>The table lane <paramref name="lane"/> works on now (after a restore, the new one).</summary>
    public void Track(string lane, LaneSessionTable table) => _tables[lane] = table;

    public void Forget(string lane) => _tables.TryRemove(lane, out _);

    public void Dispose() => _meter.Dispose();
}
