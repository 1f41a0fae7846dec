namespace Analytics.Gateway.Ingestion.Steps;

public sealed class DropBotStep : IIngestionStep
{
    public string Name => "drop_bot";

    public ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DropReason?>(context.Agent is { IsBot: true } ? DropReason.Bot : null);
}
