using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using Analytics.Gateway.Query;

namespace Analytics.Gateway.SavedSegments;

/// <summary>
/// A segment as a client creates or changes one (Plausible's shape): {"name", "type": "site", "segment_data": {"filters"}}.
/// Read from the raw JSON, so each mistake is a 400 naming the field.
/// </summary>
public sealed record SavedSegmentRequest(
    [property: JsonPropertyName("name"), Description("1 to 255 characters, unique within the site.")] string? Name,
    [property: JsonPropertyName("type"), Description("\"site\" (the only type: segments are shared by everyone who can read the site).")] string? Type,
    [property: JsonPropertyName("segment_data"), Description("{\"filters\": [Stats API v2 filters]}; no segment filters inside.")] SavedSegmentData? SegmentData)
{
    /// <summary>
    /// The validated name and filters JSON (either null when absent and <paramref name="partial"/>), or a 400 naming the field.
    /// </summary>
    public static (string? Name, string? Filters) Validate(JsonElement body, bool partial)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new QueryValidationException("The body must be a JSON object: {\"name\", \"segment_data\": {\"filters\": [...]}}.");
        }

        var unknown = body.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => n is not ("name" or "type" or "segment_data"));
        if (unknown is not null)
        {
            throw new QueryValidationException($"Unknown key '{(unknown.Length > 64 ? unknown[..64] : unknown)}'; allowed: name, type, segment_data.");
        }

        if (body.TryGetProperty("type", out var type) && !(type.ValueKind == JsonValueKind.String && type.GetString() == SavedSegmentResponse.SiteType))
        {
            throw new QueryValidationException("type must be \"site\": segments here are shared by everyone who can read the site (there are no personal ones).");
        }

        string? name = null;
        if (body.TryGetProperty("name", out var nameValue))
        {
            name = nameValue.ValueKind == JsonValueKind.String ? nameValue.GetString()!.Trim() : throw new QueryValidationException("name must be a string.");
            if (name.Length is 0 or > SavedSegmentFilters.MaxNameLength || name.Any(char.IsControl))
            {
                throw new QueryValidationException($"name must be 1 to {SavedSegmentFilters.MaxNameLength} characters, without control characters.");
            }
        }
        else if (!partial)
        {
            throw new QueryValidationException("name is required.");
        }

        string? filters = null;
        if (body.TryGetProperty("segment_data", out var data))
        {
            filters = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("filters", out var list)
                ? SavedSegmentFilters.Validate(list)
                : throw new QueryValidationException("segment_data must be an object with filters: {\"filters\": [...]}.");
        }
        else if (!partial)
        {
            throw new QueryValidationException("segment_data is required: {\"filters\": [...]}.");
        }

        return (name, filters);
    }
}
