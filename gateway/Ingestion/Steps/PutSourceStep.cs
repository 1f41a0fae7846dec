using Analytics.Gateway.Enrichment;

namespace Analytics.Gateway.Ingestion.Steps;

public sealed class PutSourceStep(ReferrerClassifier classifier) : IIngestionStep
{
    public string Name => "put_source";

    public ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken)
    {
        var referrer = context.ReferrerUri;
        var own = context.Url!.Hostname;
        context.Source = classifier.ClassifySource(referrer, own, context.Url.UtmSource);
        context.Referrer = classifier.ReferrerForStats(referrer, own);
        return ValueTask.FromResult<DropReason?>(null);
    }
}
