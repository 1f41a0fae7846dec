using Analytics.Gateway.Enrichment;

namespace Analytics.Gateway.Ingestion.Steps;

public sealed class PutUserAgentStep(UserAgentParser parser) : IIngestionStep
{
    public string Name => "put_user_agent";

    public ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken)
    {
        context.Agent = parser.Parse(context.UserAgent);
        return ValueTask.FromResult<DropReason?>(null);
    }
}
