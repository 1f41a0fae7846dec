using System.Collections.ObjectModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using Analytics.GrainInterfaces.Events;

namespace Analytics.Gateway.Ingestion;

/// <summary>
/// Reads a beacon body as Plausible's ingestion reads it (lib/plausible/ingestion/request.ex): the compact keys its
/// tracker sends (n, u, d, r, h, p or legacy m, $, i, e, sd, v) or the documented long keys (name, url, domain,
/// referrer, hashMode, props or meta, revenue, interactive), the compact key first. Only a body Plausible itself rejects
/// is a <see cref="BeaconFormatException"/>: not a JSON object, no usable name, url or domain, an engagement event with
/// neither e nor sd. Anything else odd (unknown keys, props or revenue of the wrong shape, "v" as Plausible's integer
/// script version) is ignored. Ours: "w" (screen width) and "vid" (the cookie id; a string "v" from older copies of our
/// script is still read as one, Plausible's "v" being an integer).
/// </summary>
public static class BeaconReader
{
    /// <summary>Plausible ignores engagement times from a month up: an old tracker sent garbage there.</summary>
    private const long MaxEngagementMs = 30L * 24 * 3600 * 1000;

    /// <summary>Plausible cuts referrers here rather than rejecting the event.</summary>
    private const int MaxReferrerLength = 2000;

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

            var name = ReadName(root);
            var url = Property(root, "u", "url") is { ValueKind: JsonValueKind.String } u && u.GetString() is { Length: > 0 } text
                ? text
                : throw new BeaconFormatException("'url' (u) is required and must be a non-empty string.");
            var domains = ReadDomains(root, url);
            var (amount, currency) = ReadRevenue(Property(root, "$", "revenue"));
            return new Beacon
            {
                Name = name,
                Url = url,
                Domain = domains[0],
                Domains = domains,
                Referrer = Property(root, "r", "referrer") is { ValueKind: JsonValueKind.String } r ? Truncate(r.GetString()!) : null,
                ScreenWidth = Property(root, "w", "screen_width") is { ValueKind: JsonValueKind.Number } w && w.TryGetInt32(out var width) ? width : null,
                HashMode = Property(root, "h", "hashMode") is { } h && IsOne(h),
                Props = ReadProps(Property(root, "m", "meta") ?? Property(root, "p", "props")),
                RevenueAmount = amount,
                RevenueCurrency = currency,
                Interactive = Property(root, "i", "interactive") is { ValueKind: JsonValueKind.True or JsonValueKind.False } i ? i.GetBoolean() : null,
                EngagementMs = name == EventNames.Engagement ? ReadEngagement(root) : null,
                ScrollDepth = name == EventNames.Engagement ? ReadScrollDepth(root) : null,
                VisitorId = ReadVisitorId(root),
            };
        }
    }

    /// <summary>A string, or an integer read as its digits (404 tracking sends names like that); nothing else.</summary>
    private static string ReadName(JsonElement root) => Property(root, "n", "name") switch
    {
        { ValueKind: JsonValueKind.String } s when s.GetString() is { Length: > 0 } name => name,
        { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var number) => number.ToString(CultureInfo.InvariantCulture),
        null or { ValueKind: JsonValueKind.Null } or { ValueKind: JsonValueKind.String } =>
            throw new BeaconFormatException("'name' (n) is required and must be a non-empty string."),
        _ => throw new BeaconFormatException("'name' (n) must be a string or an integer."),
    };

    /// <summary>"d" may name several sites, comma-separated; without a string "d" the site is the URL's host. "www." is dropped.</summary>
    private static string[] ReadDomains(JsonElement root, string url)
    {
        if (Property(root, "d", "domain") is { ValueKind: JsonValueKind.String } d)
        {
            var raw = d.GetString()!.Trim();
            if (!raw.Contains(',', StringComparison.Ordinal) && SanitizeHost(raw) is { Length: > 0 } single)
            {
                return [single];
            }

            var domains = raw.Split(',').Select(SanitizeHost).Where(x => x.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
            return domains.Length > 0 ? domains : throw new BeaconFormatException("'domain' (d) can't be blank.");
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0
            ? [SanitizeHost(uri.Host)]
            : throw new BeaconFormatException("'domain' (d) is required when the url has no host.");
    }

    private static string SanitizeHost(string host)
    {
        var trimmed = host.Trim();
        return trimmed.StartsWith("www.", StringComparison.Ordinal) ? trimmed[4..] : trimmed;
    }

    /// <summary>Engagement needs a usable e (engaged ms) or sd (scroll depth %), as Plausible requires; returns the ms (0 without e).</summary>
    private static long ReadEngagement(JsonElement root)
    {
        var time = Integer(root, "e") is { } e && e >= 0 && e < MaxEngagementMs ? e : (long?)null;
        return time is null && ReadScrollDepth(root) is null
            ? throw new BeaconFormatException("An engagement event requires a valid integer value for at least one of 'sd' or 'e'.")
            : time ?? 0;
    }

    private static int? ReadScrollDepth(JsonElement root) => Integer(root, "sd") is { } sd && sd >= 0 ? (int)Math.Min(sd, 100) : null;

    private static string? ReadVisitorId(JsonElement root) =>
        Property(root, "vid", "visitor_id") is { ValueKind: JsonValueKind.String } vid ? vid.GetString()
        : root.TryGetProperty("v", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()
        : null;

    private static (decimal? Amount, string? Currency) ReadRevenue(JsonElement? revenue)
    {
        if (Decode(revenue) is not { ValueKind: JsonValueKind.Object } value)
        {
            return (null, null);
        }

        var currency = value.TryGetProperty("currency", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        decimal? amount = value.TryGetProperty("amount", out var a) ? a.ValueKind switch
        {
            JsonValueKind.Number when a.TryGetDecimal(out var d) => d,
            JsonValueKind.String when decimal.TryParse(a.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        } : null;
        return currency is { Length: 3 } && currency.All(char.IsAsciiLetter) && amount is not null
            ? (amount, currency.ToUpperInvariant())
            : (null, null);
    }

    private static IReadOnlyDictionary<string, string> ReadProps(JsonElement? props)
    {
        if (Decode(props) is not { ValueKind: JsonValueKind.Object } value)
        {
            return ReadOnlyDictionary<string, string>.Empty;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var prop in value.EnumerateObject())
        {
            // Plausible keeps scalar props only; nested values, nulls and blanks are left out rather than failing the event.
            var text = prop.Value.ValueKind switch
            {
                JsonValueKind.String => prop.Value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => prop.Value.GetRawText(),
                _ => null,
            };
            if (!string.IsNullOrWhiteSpace(prop.Name) && !string.IsNullOrWhiteSpace(text))
            {
                result[prop.Name] = text;
            }
        }

        return result;
    }

    /// <summary>An object as sent, or decoded from a JSON string (Plausible's script sends p and $ either way); null otherwise.</summary>
    private static JsonElement? Decode(JsonElement? element)
    {
        if (element is not { ValueKind: JsonValueKind.String } text)
        {
            return element;
        }

        try
        {
            using var nested = JsonDocument.Parse(text.GetString()!, Options);
            return nested.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsOne(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.Number => value.TryGetInt32(out var i) && i == 1,
        JsonValueKind.String => value.GetString() == "1",
        _ => false,
    };

    private static long? Integer(JsonElement root, string name) => root.TryGetProperty(name, out var value) ? value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var i) => i,
        JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => i,
        _ => null,
    } : null;

    private static string Truncate(string text) => text.Length <= MaxReferrerLength ? text : text[..MaxReferrerLength];

    /// <summary>The compact key wins over the long one, as in Plausible; a JSON null counts as absent.</summary>
    private static JsonElement? Property(JsonElement root, string shortName, string name) =>
        (root.TryGetProperty(shortName, out var value) && value.ValueKind != JsonValueKind.Null)
        || (root.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null) ? value : null;
}
