namespace Analytics.Gateway.Ga4;

/// <summary>What one /g/collect request carries: its measurement id (tid), the events to count, and how many were unreadable.</summary>
public sealed record GtagHits(string? MeasurementId, IReadOnlyList<Ga4Hit> Hits, int Invalid);
