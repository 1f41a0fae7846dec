using System.Globalization;
using System.Text.Json;

namespace Analytics.Gateway.Goals;

/// <summary>
/// A goal as a client sends it: JSON (our API, Plausible's clients) or a form (Plausible's curl examples). Values of the
/// wrong JSON type are kept as errors for <see cref="GoalValidator"/> to name, never a 500.
/// </summary>
public sealed record GoalFields
{
    public string? SiteId { get; init; }
    public string? GoalType { get; init; }
    public string? EventName { get; init; }
    public string? PagePath { get; init; }
    public string? DisplayName { get; init; }
    public string? ScrollThreshold { get; init; }
    public string? Currency { get; init; }
    public IReadOnlyDictionary<string, string>? CustomProps { get; init; }
    /// <summary>The first field of the wrong type, e.g. "custom_props must be an object of string values".</summary>
    public string? TypeError { get; init; }

    /// <summary>Null when the body is neither a JSON object nor a form.</summary>
    public static async Task<GoalFields?> ReadAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        if (http.HasFormContentType)
        {
            var form = await http.ReadFormAsync(cancellationToken);
            return Read(name => form.TryGetValue(name, out var value) ? value.ToString() : null);
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(http.Body, cancellationToken: cancellationToken);
            return document.RootElement.ValueKind == JsonValueKind.Object ? FromJson(document.RootElement) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static GoalFields FromJson(JsonElement root)
    {
        string? typeError = null;
        string? Text(string name)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                return value.GetString();
            }

            // Numbers are accepted where Plausible's clients send them (scroll_threshold: 50).
            if (value.ValueKind == JsonValueKind.Number)
            {
                return value.GetRawText();
            }

            typeError ??= $"{name} must be a string.";
            return null;
        }

        Dictionary<string, string>? props = null;
        if (root.TryGetProperty("custom_props", out var propsElement) && propsElement.ValueKind != JsonValueKind.Null)
        {
            if (propsElement.ValueKind == JsonValueKind.Object && propsElement.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String))
            {
                props = propsElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
            }
            else
            {
                typeError ??= "custom_props must be an object of string values, e.g. {\"plan\": \"pro\"}.";
            }
        }

        return Read(Text) with { CustomProps = props, TypeError = typeError };
    }

    /// <summary>The text fields, whatever the body's kind: <paramref name="field"/> gives a field's text or null.</summary>
    private static GoalFields Read(Func<string, string?> field) => new()
    {
        SiteId = field("site_id"),
        GoalType = field("goal_type"),
        EventName = field("event_name"),
        PagePath = field("page_path"),
        DisplayName = field("display_name"),
        ScrollThreshold = field("scroll_threshold"),
        Currency = field("currency"),
    };

    internal static bool TryParseThreshold(string text, out int threshold) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out threshold);
}
