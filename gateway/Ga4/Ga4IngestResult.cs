using Analytics.Gateway.Ingestion;

namespace Analytics.Gateway.Ga4;

/// <summary>How one GA4 request's events fared: how many are durable, the first drop reason, and a wait when the site's limit was hit.</summary>
public sealed record Ga4IngestResult(int Accepted, DropReason? FirstDrop, TimeSpan? RetryAfter);
