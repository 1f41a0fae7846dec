namespace Analytics.Gateway.Enrichment;

/// <summary>
/// The parts of a page URL that feed the stats. <see cref="Hostname"/> is lower-cased without "www.";
/// <see cref="Pathname"/> is percent-decoded (invalid UTF-8 stays encoded) without query or fragment;
/// UTM values are decoded and trimmed, null when absent or empty.
/// </summary>
public sealed record ParsedUrl(
    string Hostname,
    string Pathname,
    string? UtmSource,
    string? UtmMedium,
    string? UtmCampaign,
    string? UtmContent,
    string? UtmTerm);
