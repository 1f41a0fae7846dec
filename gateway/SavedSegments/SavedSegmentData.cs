using System.Text.Json;
using System.Text.Json.Serialization;

namespace Analytics.Gateway.SavedSegments;

/// <summary>Part of <see cref="SavedSegmentResponse"/> and of a request: the Stats API v2 filters the segment stands for.</summary>
public sealed record SavedSegmentData([property: JsonPropertyName("filters")] JsonElement Filters);
