using System.Globalization;
using System.Text.Json;
using Analytics.GrainInterfaces.SavedSegments;

namespace Analytics.Gateway.Query;

/// <summary>
/// Saved segments in Stats API v2 filters, as Plausible reads them: ["is", "segment", [id, …]] stands for the saved
/// filters of those segments (any of them). Expanded on the JSON before <see cref="FilterParser"/> reads it, so every
/// bound of a filter tree also holds for the expanded one, and the query (and its cache key) is the saved tree itself.
/// </summary>
public static class SavedSegmentFilters
{
    public const string Dimension = "segment";
    public const int MaxNameLength = 255;

    /// <summary>The longest filters JSON a segment may save.</summary>
    public const int MaxFiltersLength = 64 * 1024;

    /// <summary>True when some filter of the body, at any depth, is a segment filter.</summary>
    public static bool Mentions(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("filters", out var filters) && AnyMentions(filters);

    /// <summary>
    /// The body with every segment filter replaced by its segments' filters: one id by ["and", filters], several by
    /// ["or", [["and", filters of each]]]. A 400 naming the id unknown for the site, or what is wrong with the filter.
    /// </summary>
    public static JsonElement Expand(JsonElement root, IReadOnlyList<SavedSegment> segments)
    {
        var byId = segments.ToDictionary(s => s.Id);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in root.EnumerateObject())
            {
                writer.WritePropertyName(property.Name);
                if (property.Name == "filters" && property.Value.ValueKind == JsonValueKind.Array)
                {
                    WriteList(writer, property.Value, byId);
                }
                else
                {
                    property.Value.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }

    /// <summary>
    /// A segment's filters checked as a query would read them once expanded (two levels deeper), or a 400 saying why not:
    /// not a non-empty array, another segment inside, too long, or any mistake <see cref="FilterParser"/> names.
    /// </summary>
    public static string Validate(JsonElement filters)
    {
        if (filters.ValueKind != JsonValueKind.Array || filters.GetArrayLength() == 0)
        {
            throw new QueryValidationException("segment_data.filters must be a non-empty array of Stats API v2 filters.");
        }

        if (AnyMentions(filters))
        {
            throw new QueryValidationException("A segment's filters may not use other segments.");
        }

        var text = filters.GetRawText();
        if (text.Length > MaxFiltersLength)
        {
            throw new QueryValidationException($"segment_data.filters is longer than {MaxFiltersLength / 1024} KB.");
        }

        using var wrapped = JsonDocument.Parse($$"""{"filters":[["or",[["and",{{text}}]]]]}""");
        _ = FilterParser.Parse(wrapped.RootElement);
        return text;
    }

    private static bool AnyMentions(JsonElement filters) => filters.ValueKind == JsonValueKind.Array && filters.EnumerateArray().Any(IsOrHoldsSegment);

    private static bool IsOrHoldsSegment(JsonElement filter)
    {
        if (filter.ValueKind != JsonValueKind.Array || filter.GetArrayLength() < 2)
        {
            return false;
        }

        if (filter[1].ValueKind == JsonValueKind.String)
        {
            return filter[1].GetString() == Dimension;
        }

        return filter[0].ValueKind == JsonValueKind.String && (filter[0].GetString() is "and" or "or" ? AnyMentions(filter[1]) : IsOrHoldsSegment(filter[1]));
    }

    private static void WriteList(Utf8JsonWriter writer, JsonElement filters, Dictionary<long, SavedSegment> segments)
    {
        writer.WriteStartArray();
        foreach (var filter in filters.EnumerateArray())
        {
            Write(writer, filter, segments);
        }

        writer.WriteEndArray();
    }

    private static void Write(Utf8JsonWriter writer, JsonElement filter, Dictionary<long, SavedSegment> segments)
    {
        if (filter.ValueKind != JsonValueKind.Array || filter.GetArrayLength() != 2 || filter[0].ValueKind != JsonValueKind.String)
        {
            if (IsSegment(filter))
            {
                WriteSegments(writer, filter, segments);
            }
            else
            {
                filter.WriteTo(writer);
            }

            return;
        }

        // A connective: its operands may hold segment filters.
        writer.WriteStartArray();
        writer.WriteStringValue(filter[0].GetString());
        if (filter[0].GetString() is "and" or "or" && filter[1].ValueKind == JsonValueKind.Array)
        {
            WriteList(writer, filter[1], segments);
        }
        else
        {
            Write(writer, filter[1], segments);
        }

        writer.WriteEndArray();
    }

    private static bool IsSegment(JsonElement filter) =>
        filter.ValueKind == JsonValueKind.Array && filter.GetArrayLength() >= 2 && filter[1].ValueKind == JsonValueKind.String && filter[1].GetString() == Dimension;

    private static void WriteSegments(Utf8JsonWriter writer, JsonElement filter, Dictionary<long, SavedSegment> segments)
    {
        if (filter.GetArrayLength() != 3 || filter[0].ValueKind != JsonValueKind.String || filter[0].GetString() != "is"
            || filter[2].ValueKind != JsonValueKind.Array || filter[2].GetArrayLength() == 0)
        {
            throw new QueryValidationException("A segment filter is [\"is\", \"segment\", [segment ids]].");
        }

        var chosen = filter[2].EnumerateArray().Select(v => Lookup(v, segments)).DistinctBy(s => s.Id).ToList();
        if (chosen.Count > 1)
        {
            writer.WriteStartArray();
            writer.WriteStringValue("or");
            writer.WriteStartArray();
        }

        foreach (var segment in chosen)
        {
            writer.WriteStartArray();
            writer.WriteStringValue("and");
            writer.WriteRawValue(segment.Filters, skipInputValidation: true);
            writer.WriteEndArray();
        }

        if (chosen.Count > 1)
        {
            writer.WriteEndArray();
            writer.WriteEndArray();
        }
    }

    private static SavedSegment Lookup(JsonElement value, Dictionary<long, SavedSegment> segments)
    {
        long? id = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
        if (id is null)
        {
            throw new QueryValidationException("Segment ids are integers: [\"is\", \"segment\", [1]].");
        }

        return segments.TryGetValue(id.Value, out var segment)
            ? segment
            : throw new QueryValidationException($"Unknown segment {id.Value.ToString(CultureInfo.InvariantCulture)}: the site has no saved segment with that id.");
    }
}
