namespace Analytics.Gateway.Ingestion.Steps;

/// <summary>Drops beacons whose browser sent DNT: 1 or Sec-GPC: 1, on sites that chose to respect them (respect_dnt).</summary>
public sealed class DropDoNotTrackStep : IIngestionStep
{
    public string Name => "drop_do_not_track";

    public ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DropReason?>(context.DoNotTrack && context.Site is { RespectDoNotTrack: true } ? DropReason.DoNotTrack : null);
}
