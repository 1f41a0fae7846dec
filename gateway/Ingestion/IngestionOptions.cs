using System.ComponentModel.DataAnnotations;

namespace Analytics.Gateway.Ingestion;

public sealed class IngestionOptions
{
    public const string SectionName = "Analytics:Ingestion";

    [Range(256, 1_048_576)]
    public int MaxBodyBytes { get; set; } = 8 * 1024;

    [Range(16, 16_384)]
    public int MaxUrlLength { get; set; } = 2048;

    [Range(0, 100)]
    public int MaxProps { get; set; } = 30;

    [Range(1, 1024)]
    public int MaxPropKeyLength { get; set; } = 300;

    [Range(1, 16_384)]
    public int MaxPropValueLength { get; set; } = 2000;

    [Range(1, 256)]
    public int MaxEventNameLength { get; set; } = 120;

    /// <summary>
    /// Proxies (IPs) whose X-Forwarded-For (the rightmost untrusted address is the client) and X-Forwarded-Proto are
    /// believed. None by default: without a proxy, no local process may choose its client address.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Referrer-spam domains dropped (with their subdomains) in addition to the built-in list.</summary>
    public List<string> ReferrerSpamDomains { get; set; } = [];
}
