using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Analytics.Grains.Lanes;

/// <summary>The silo's lanes as gauges: visitors held and the bytes their tables take (bytes per open session = one over the other).</summary>
public sealed class LaneMetrics : IDisposable
{
    public const string MeterName = "Analytics.Lanes";

    private readonly ConcurrentDictionary<string, LaneSessionTable> _tables = new(StringComparer.Ordinal);
    private readonly Meter _meter;
    private readonly Histogram<double> _steps;
    private readonly Histogram<long> _batchEvents;

    public LaneMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _meter.CreateObservableGauge("analytics.lanes.open_sessions", () => _tables.Values.Sum(t => (long)t.OpenSessions),
            description: "Visitors whose session state the silo's lanes hold.");
        _meter.CreateObservableGauge("analytics.lanes.session_bytes", () => _tables.Values.Sum(t => t.EstimatedBytes), unit: "By",
            description: "Estimated memory of the silo's lane session tables.");
        _steps = _meter.CreateHistogram<double>("analytics.lanes.batch.step.duration", unit: "s",
            description: "Time a lane spends per delivered batch in each step (erased_check, archive, sessionize, append_segments, checkpoint).");
        _batchEvents = _meter.CreateHistogram<long>("analytics.lanes.batch.events", description: "Events per batch delivered to a lane.");
    }

    /// <summary>Records one step of a batch; returns the time it ended, where the next step starts.</summary>
    public long Step(string step, long started)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        _steps.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started, now).TotalSeconds, new KeyValuePair<string, object?>("step", step));
        return now;
    }

    public void Batch(int events) => _batchEvents.Record(events);

    /// <summary>The table lane <paramref name="lane"/> works on now (after a restore, the new one).</summary>
    public void Track(string lane, LaneSessionTable table) => _tables[lane] = table;

    public void Forget(string lane) => _tables.TryRemove(lane, out _);

    public void Dispose() => _meter.Dispose();
}
