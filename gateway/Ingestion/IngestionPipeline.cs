using System.Diagnostics.Metrics;

namespace Analytics.Gateway.Ingestion;

/// <summary>The ordered steps every beacon passes; the first drop ends the run. Drops are counted per reason.</summary>
public sealed class IngestionPipeline
{
    public const string MeterName = "Analytics.Ingestion";

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _dropped;

    public IngestionPipeline(IEnumerable<IIngestionStep> steps, IMeterFactory meters)
    {
        Steps = [.. steps];
        var meter = meters.Create(MeterName);
        _accepted = meter.CreateCounter<long>("analytics.ingestion.accepted", description: "Beacons that passed the pipeline.");
        _dropped = meter.CreateCounter<long>("analytics.ingestion.dropped", description: "Beacons dropped, by reason.");
    }

    public IReadOnlyList<IIngestionStep> Steps { get; }

    public async ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken)
    {
        foreach (var step in Steps)
        {
            if (await step.RunAsync(context, cancellationToken) is { } reason)
            {
                _dropped.Add(1, new KeyValuePair<string, object?>("reason", reason.ToWireName()));
                return reason;
            }
        }

        _accepted.Add(1);
        return null;
    }
}
