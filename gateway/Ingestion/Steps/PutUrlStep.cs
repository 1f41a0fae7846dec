using Analytics.Gateway.Enrichment;
using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Ingestion.Steps;

/// <summary>Parses the page URL into hostname, pathname and UTM parameters; a URL that is not absolute http(s) drops.</summary>
public sealed class PutUrlStep(IOptions<IngestionOptions> options) : IIngestionStep
{
    public string Name => "put_url";

    public ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken)
    {
        var url = context.Beacon.Url;
        if (url.Length > options.Value.MaxUrlLength || !UrlParser.TryParse(url, context.Beacon.HashMode, out var parsed))
        {
            return ValueTask.FromResult<DropReason?>(DropReason.InvalidUrl);
        }

        context.Url = parsed;
        return ValueTask.FromResult<DropReason?>(null);
    }
}
