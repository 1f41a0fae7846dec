using Analytics.Gateway.Enrichment;

namespace Analytics.Gateway.Ingestion.Steps;

public sealed class PutUserAgentStep(UserAgentParser parser) : IIngestionStep
{
    public string Name => "put_user_agent";

    public ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken)
    {
        // A server-side sender (GA4 Measurement Protocol) describes the device itself; its own User-Agent is not the visitor's.
        context.Agent ??= parser.Parse(context.UserAgent);
        return ValueTask.FromResult<DropReason?>(null);
    }
}
