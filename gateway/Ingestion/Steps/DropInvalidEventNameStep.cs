using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Ingestion.Steps;

public sealed class DropInvalidEventNameStep(IOptions<IngestionOptions> options) : IIngestionStep
{
    public string Name => "drop_invalid_event_name";

    public ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken)
    {
        var name = context.Beacon.Name;
        var valid = name.Length <= options.Value.MaxEventNameLength && !string.IsNullOrWhiteSpace(name) && !name.Any(char.IsControl);
        return ValueTask.FromResult<DropReason?>(valid ? null : DropReason.InvalidEventName);
    }
}
