using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Analytics.Gateway.Ingestion;

/// <summary>
/// The ordered steps every beacon passes; the first drop ends the run. Drops are counted per reason, and each step's time
/// is recorded per step name (as Plausible's pipeline does), so /metrics shows where a beacon's time goes: for one run in
/// <see cref="TimedEvery"/> (the first among them), as a sample. Timing every run cost 4 % of an embedded silo's CPU at
/// ingest rates (two clock reads and a tagged histogram record per step).
/// </summary>
public sealed class IngestionPipeline
{
    public const string MeterName = "Analytics.Ingestion";

    /// <summary>One run in this many has its steps timed.</summary>
    public const int TimedEvery = 16;

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _dropped;
    private readonly Histogram<double> _stepDuration;
    private readonly IIngestionStep[] _steps;
    private long _runs;

    public IngestionPipeline(IEnumerable<IIngestionStep> steps, IMeterFactory meters)
    {
        _steps = [.. steps];
        Steps = Array.AsReadOnly(_steps);
        var meter = meters.Create(MeterName);
        _accepted = meter.CreateCounter<long>("analytics.ingestion.accepted", description: "Beacons that passed the pipeline.");
        _dropped = meter.CreateCounter<long>("analytics.ingestion.dropped", description: "Beacons dropped, by reason.");
        _stepDuration = meter.CreateHistogram<double>("analytics.ingestion.step.duration", unit: "s", description: "Time of one pipeline step, by step name.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });
    }

    public IReadOnlyList<IIngestionStep> Steps { get; }

    public async ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken)
    {
        var timed = (Interlocked.Increment(ref _runs) - 1) % TimedEvery == 0;
        // Indexed, not enumerated: an enumerator of the interface is boxed, one allocation per beacon.
        for (var i = 0; i < _steps.Length; i++)
        {
            var step = _steps[i];
            var started = timed ? Stopwatch.GetTimestamp() : 0;
            DropReason? reason;
            try
            {
                reason = await step.RunAsync(context, cancellationToken);
            }
            finally
            {
                if (timed)
                {
                    _stepDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("step", step.Name));
                }
            }

            if (reason is { } dropped)
            {
                _dropped.Add(1, new KeyValuePair<string, object?>("reason", dropped.ToWireName()));
                return dropped;
            }
        }

        _accepted.Add(1);
        return null;
    }
}
