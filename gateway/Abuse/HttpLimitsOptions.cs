using System.ComponentModel.DataAnnotations;

namespace Analytics.Gateway.Abuse;

/// <summary>
/// Kestrel's request limits (Analytics:Http). Beacons have their own, smaller bound (Analytics:Ingestion:MaxBodyBytes);
/// these protect every other endpoint. Requests over them are refused by the server: 413 (body) or 431 (headers).
/// </summary>
public sealed class HttpLimitsOptions
{
    public const string SectionName = "Analytics:Http";

    [Range(1024, 104_857_600)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    [Range(1024, 1_048_576)]
    public int MaxRequestHeadersTotalBytes { get; set; } = 32 * 1024;

    [Range(8, 1000)]
    public int MaxRequestHeaderCount { get; set; } = 64;

    [Range(256, 65_536)]
    public int MaxRequestLineBytes { get; set; } = 8 * 1024;
}
