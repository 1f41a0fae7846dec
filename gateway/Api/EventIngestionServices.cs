using Analytics.Gateway.Ingestion;
using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Api;

/// <summary>
/// What POST /api/event needs besides the request, as one singleton: a beacon then costs one service lookup, not one per
/// collaborator as an [AsParameters] bundle does (five lookups were ~1 % of the silo's CPU under load).
/// </summary>
public sealed class EventIngestionServices(
    IngestionPipeline pipeline,
    ClientIpResolver clientIps,
    IOptions<IngestionOptions> options,
    SiteDropLog drops,
    TimeProvider time)
{
    public IngestionPipeline Pipeline { get; } = pipeline;

    public ClientIpResolver ClientIps { get; } = clientIps;

    public IngestionOptions Options { get; } = options.Value;

    public SiteDropLog Drops { get; } = drops;

    public TimeProvider Time { get; } = time;
}
