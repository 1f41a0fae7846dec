using System.Collections.ObjectModel;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
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

            var keys = new Keys(root);
            var name = ReadName(keys);
            var url = keys.Either(Key.U, Key.Url) is { ValueKind: JsonValueKind.String } u && u.GetString() is { Length: > 0 } text
                ? text
                : throw new BeaconFormatException("'url' (u) is required and must be a non-empty string.");
            var domains = ReadDomains(keys, url);
            var (amount, currency) = ReadRevenue(keys.Either(Key.Dollar, Key.Revenue));
            return new Beacon
            {
                Name = name,
                Url = url,
                Domain = domains[0],
                Domains = domains,
                Referrer = keys.Either(Key.R, Key.Referrer) is { ValueKind: JsonValueKind.String } r ? Truncate(r.GetString()!) : null,
                ScreenWidth = keys.Either(Key.W, Key.ScreenWidth) is { ValueKind: JsonValueKind.Number } w && w.TryGetInt32(out var width) ? width : null,
                HashMode = keys.Either(Key.H, Key.HashMode) is { } h && IsOne(h),
                Props = ReadProps(keys.Either(Key.M, Key.Meta) ?? keys.Either(Key.P, Key.Props)),
                RevenueAmount = amount,
                RevenueCurrency = currency,
                Interactive = keys.Either(Key.I, Key.Interactive) is { ValueKind: JsonValueKind.True or JsonValueKind.False } i ? i.GetBoolean() : null,
                EngagementMs = name == EventNames.Engagement ? ReadEngagement(keys) : null,
                ScrollDepth = name == EventNames.Engagement ? ReadScrollDepth(keys) : null,
                VisitorId = ReadVisitorId(keys),
            };
        }
    }

    /// <summary>A string, or an integer read as its digits (404 tracking sends names like that); nothing else.</summary>
    private static string ReadName(in Keys keys) => keys.Either(Key.N, Key.Name) switch
    {
        { ValueKind: JsonValueKind.String } s when s.GetString() is { Length: > 0 } name => name,
        { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var number) => number.ToString(CultureInfo.InvariantCulture),
        null or { ValueKind: JsonValueKind.Null } or { ValueKind: JsonValueKind.String } =>
            throw new BeaconFormatException("'name' (n) is required and must be a non-empty string."),
        _ => throw new BeaconFormatException("'name' (n) must be a string or an integer."),
    };

    /// <summary>"d" may name several sites, comma-separated; without a string "d" the site is the URL's host. "www." is dropped.</summary>
    private static string[] ReadDomains(in Keys keys, string url)
    {
        if (keys.Either(Key.D, Key.Domain) is { ValueKind: JsonValueKind.String } d)
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
    private static long ReadEngagement(in Keys keys)
    {
        var time = Integer(keys[Key.E]) is { } e && e >= 0 && e < MaxEngagementMs ? e : (long?)null;
        return time is null && ReadScrollDepth(keys) is null
            ? throw new BeaconFormatException("An engagement event requires a valid integer value for at least one of 'sd' or 'e'.")
            : time ?? 0;
    }

    private static int? ReadScrollDepth(in Keys keys) => Integer(keys[Key.Sd]) is { } sd && sd >= 0 ? (int)Math.Min(sd, 100) : null;

    private static string? ReadVisitorId(in Keys keys) =>
        keys.Either(Key.Vid, Key.VisitorId) is { ValueKind: JsonValueKind.String } vid ? vid.GetString()
        : keys[Key.V] is { ValueKind: JsonValueKind.String } v ? v.GetString()
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

    private static long? Integer(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var i) => i,
        JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => i,
        _ => null,
    };

    private static string Truncate(string text) => text.Length <= MaxReferrerLength ? text : text[..MaxReferrerLength];

    /// <summary>The keys a beacon is read from, compact and long.</summary>
    private enum Key
    {
        N, Name, U, Url, D, Domain, Dollar, Revenue, R, Referrer, W, ScreenWidth, H, HashMode, M, Meta, P, Props, I, Interactive, E, Sd, Vid, VisitorId, V,
    }

    /// <summary>
    /// The body's values under the known keys, found in one walk over its properties (looking each key up in the document
    /// walked them once per key and encoded the name each time). A key sent twice has its last value, as TryGetProperty
    /// finds it; a key never sent reads as an undefined element.
    /// </summary>
    private readonly struct Keys
    {
        private readonly Values _values;

        public Keys(JsonElement root)
        {
            foreach (var property in root.EnumerateObject())
            {
                var raw = JsonMarshal.GetRawUtf8PropertyName(property);
                // A name written with escapes is compared once unescaped (rare: no tracker escapes these names).
                var key = raw.Contains((byte)'\\') ? Of(Encoding.UTF8.GetBytes(property.Name)) : Of(raw);
                if (key is { } known)
                {
                    _values[(int)known] = property.Value;
                }
            }
        }

        public JsonElement this[Key key] => _values[(int)key];

        /// <summary>The compact key wins over the long one, as in Plausible; a JSON null counts as absent.</summary>
        public JsonElement? Either(Key compact, Key full) =>
            this[compact] is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } value ? value
            : this[full] is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } other ? other
            : null;

        private static Key? Of(ReadOnlySpan<byte> name) => name.Length switch
        {
            1 => name[0] switch
            {
                (byte)'n' => Key.N,
                (byte)'u' => Key.U,
                (byte)'d' => Key.D,
                (byte)'$' => Key.Dollar,
                (byte)'r' => Key.R,
                (byte)'w' => Key.W,
                (byte)'h' => Key.H,
                (byte)'m' => Key.M,
                (byte)'p' => Key.P,
                (byte)'i' => Key.I,
                (byte)'e' => Key.E,
                (byte)'v' => Key.V,
                _ => null,
            },
            _ when name.SequenceEqual("sd"u8) => Key.Sd,
            _ when name.SequenceEqual("url"u8) => Key.Url,
            _ when name.SequenceEqual("vid"u8) => Key.Vid,
            _ when name.SequenceEqual("name"u8) => Key.Name,
            _ when name.SequenceEqual("meta"u8) => Key.Meta,
            _ when name.SequenceEqual("props"u8) => Key.Props,
            _ when name.SequenceEqual("domain"u8) => Key.Domain,
            _ when name.SequenceEqual("revenue"u8) => Key.Revenue,
            _ when name.SequenceEqual("referrer"u8) => Key.Referrer,
            _ when name.SequenceEqual("hashMode"u8) => Key.HashMode,
            _ when name.SequenceEqual("visitor_id"u8) => Key.VisitorId,
            _ when name.SequenceEqual("interactive"u8) => Key.Interactive,
            _ when name.SequenceEqual("screen_width"u8) => Key.ScreenWidth,
            _ => null,
        };

        [InlineArray(25)]
        private struct Values
        {
            private JsonElement _first;
        }
    }
}
