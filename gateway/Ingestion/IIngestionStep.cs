namespace Analytics.Gateway.Ingestion;

/// <summary>One named pipeline step: drop_* steps may reject with a reason, put_* steps enrich the context.</summary>
public interface IIngestionStep
{
    string Name { get; }

    /// <summary>Returns a reason to drop the event, or null to go on.</summary>
    ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken);
}
