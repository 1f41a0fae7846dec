using Analytics.Gateway.Enrichment;

namespace Analytics.Gateway.Ingestion.Steps;

public sealed class PutScreenSizeStep : IIngestionStep
{
    public string Name => "put_screen_size";

    public ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken)
    {
        context.ScreenSize = ScreenSizeClassifier.Classify(context.Beacon.ScreenWidth);
        return ValueTask.FromResult<DropReason?>(null);
    }
}
