using Analytics.Gateway.Ingestion;
using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Api;

/// <summary>What POST /api/event needs besides the request, bound with [AsParameters].</summary>
public readonly record struct EventIngestionServices(
    IngestionPipeline Pipeline,
    ClientIpResolver ClientIps,
    IOptions<IngestionOptions> Options,
    SiteDropLog Drops,
    TimeProvider Time);
