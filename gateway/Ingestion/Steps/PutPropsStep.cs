using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Ingestion.Steps;

/// <summary>
/// Bounds custom props so no sender can bloat storage: the first <see cref="IngestionOptions.MaxProps"/> props are
/// kept, over-long keys are left out and over-long values cut. The event itself still counts.
/// </summary>
public sealed class PutPropsStep(IOptions<IngestionOptions> options) : IIngestionStep
{
    public string Name => "put_props";

    public ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken)
    {
        if (context.Beacon.Props.Count == 0)
        {
            return ValueTask.FromResult<DropReason?>(null);
        }

        var limits = options.Value;
        var props = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in context.Beacon.Props)
        {
            if (props.Count >= limits.MaxProps)
            {
                break;
            }

            if (key.Length <= limits.MaxPropKeyLength)
            {
                props[key] = value.Length <= limits.MaxPropValueLength ? value : value[..limits.MaxPropValueLength];
            }
        }

        context.Props = props;
        return ValueTask.FromResult<DropReason?>(null);
    }
}
