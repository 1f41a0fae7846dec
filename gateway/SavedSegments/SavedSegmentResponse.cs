using System.Text.Json;
using System.Text.Json.Serialization;
using Analytics.GrainInterfaces.SavedSegments;

namespace Analytics.Gateway.SavedSegments;

/// <summary>A saved segment as Plausible's segments API shows one (id, name, type, segment_data.filters, inserted_at, updated_at).</summary>
public sealed record SavedSegmentResponse(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("segment_data")] SavedSegmentData SegmentData,
    [property: JsonPropertyName("inserted_at")] DateTime InsertedAt,
    [property: JsonPropertyName("updated_at")] DateTime UpdatedAt)
{
    /// <summary>Every segment here is a site segment: there are no per-user accounts to keep personal ones for.</summary>
    public const string SiteType = "site";

    public static SavedSegmentResponse From(SavedSegment s)
    {
        using var filters = JsonDocument.Parse(s.Filters);
        return new(s.Id, s.Name, SiteType, new SavedSegmentData(filters.RootElement.Clone()), s.CreatedAt, s.UpdatedAt);
    }
}
