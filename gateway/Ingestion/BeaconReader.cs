using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace Analytics.Gateway.Ingestion;

/// <summary>
/// Reads a beacon body in Plausible's documented Events API form (name, url, domain, referrer, props, revenue,
/// interactive) or in the compact form its tracker script sends (n, u, d, r, w, h, p as a JSON string, $, i), plus our
/// tracker's e (engaged ms) and v (cookie id). Unknown fields are ignored, as Plausible does.
/// </summary>
public static class BeaconReader
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 8, AllowTrailingCommas = false };

    public static Beacon Read(ReadOnlyMemory<byte> body)
    {
        // JsonDocument checks the structure but transcodes strings only when read: invalid UTF-8 inside a string would
        // surface later as an InvalidOperationException (a 500) instead of a 400.
        if (!Utf8.IsValid(body.Span))
        {
            throw new BeaconFormatException("The body is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, Options);
        }
        catch (JsonException ex)
        {
            throw new BeaconFormatException($"The body is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new BeaconFormatException("The body must be a JSON object.");
            }

            return new Beacon
            {
                Name = RequiredString(root, "name", "n"),
                Url = RequiredString(root, "url", "u"),
                Domain = RequiredString(root, "domain", "d"),
                Referrer = OptionalString(root, "referrer", "r"),
                ScreenWidth = OptionalInt(root, "screen_width", "w"),
                HashMode = OptionalBool(root, "hashMode", "h") ?? false,
                Props = ReadProps(Property(root, "props", "p")),
                Interactive = OptionalBool(root, "interactive", "i"),
                EngagementMs = OptionalLong(root, "engagement_time", "e"),
                VisitorId = OptionalString(root, "visitor_id", "v"),
            }.WithRevenue(Property(root, "revenue", "$"));
        }
    }

    private static Beacon WithRevenue(this Beacon beacon, JsonElement? revenue)
    {
        if (revenue is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return beacon;
        }

        var value = element.ValueKind == JsonValueKind.String ? ParseNested(element.GetString()!, "revenue") : element;
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new BeaconFormatException("revenue must be an object with currency and amount.");
        }

        var currency = value.TryGetProperty("currency", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        decimal? amount = value.TryGetProperty("amount", out var a) ? a.ValueKind switch
        {
            JsonValueKind.Number when a.TryGetDecimal(out var d) => d,
            JsonValueKind.String when decimal.TryParse(a.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => throw new BeaconFormatException("revenue.amount must be a number."),
        } : null;
        if (currency is null || currency.Length != 3 || amount is null)
        {
            throw new BeaconFormatException("revenue needs a 3-letter currency and an amount.");
        }

        return beacon with { RevenueAmount = amount, RevenueCurrency = currency.ToUpperInvariant() };
    }

    private static JsonElement ParseNested(string json, string field)
    {
        try
        {
            using var nested = JsonDocument.Parse(json, Options);
            return nested.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new BeaconFormatException($"{field} is a string but not valid JSON.");
        }
    }

    private static Dictionary<string, string> ReadProps(JsonElement? props)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (props is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        var value = element.ValueKind == JsonValueKind.String ? ParseNested(element.GetString()!, "props") : element;
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new BeaconFormatException("props must be an object.");
        }

        foreach (var prop in value.EnumerateObject())
        {
            // Plausible keeps scalar props only; nested values and nulls are left out rather than failing the event.
            var text = prop.Value.ValueKind switch
            {
                JsonValueKind.String => prop.Value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => prop.Value.GetRawText(),
                _ => null,
            };
            if (!string.IsNullOrEmpty(prop.Name) && !string.IsNullOrEmpty(text))
            {
                result[prop.Name] = text;
            }
        }

        return result;
    }

    private static JsonElement? Property(JsonElement root, string name, string shortName) =>
        root.TryGetProperty(name, out var value) || root.TryGetProperty(shortName, out value) ? value : null;

    private static string RequiredString(JsonElement root, string name, string shortName) =>
        OptionalString(root, name, shortName) is { Length: > 0 } value
            ? value
            : throw new BeaconFormatException($"'{name}' is required and must be a non-empty string.");

    private static string? OptionalString(JsonElement root, string name, string shortName) => Property(root, name, shortName) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        _ => throw new BeaconFormatException($"'{name}' must be a string."),
    };

    private static bool? OptionalBool(JsonElement root, string name, string shortName) => Property(root, name, shortName) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.Number } n when n.TryGetInt32(out var i) && i is 0 or 1 => i == 1,
        _ => throw new BeaconFormatException($"'{name}' must be a boolean."),
    };

    private static int? OptionalInt(JsonElement root, string name, string shortName) => Property(root, name, shortName) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Number } n when n.TryGetInt32(out var i) => i,
        _ => throw new BeaconFormatException($"'{name}' must be an integer."),
    };

    private static long? OptionalLong(JsonElement root, string name, string shortName) => Property(root, name, shortName) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var i) && i >= 0 => i,
        _ => throw new BeaconFormatException($"'{name}' must be a non-negative integer."),
    };
}
