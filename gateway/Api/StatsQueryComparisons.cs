using System.Text.Json;
using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

/// <summary>Part of <see cref="StatsQueryInclude"/>: the range each row is compared with.</summary>
public sealed record StatsQueryComparisons(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("date_range")] JsonElement? DateRange);
