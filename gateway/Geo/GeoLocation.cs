namespace Analytics.Gateway.Geo;

/// <summary>
/// Where a client address is, as Plausible records it: <see cref="Country"/> an ISO 3166-1 alpha-2 code,
/// <see cref="Region"/> the ISO 3166-2 code of its first-level subdivision ("DE-BE"), <see cref="City"/> the city's
/// GeoNames id as text; region and city are null when the database does not know them (or is a Country database).
/// </summary>
public sealed record GeoLocation(string Country, string? Region, string? City);
