using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Analytics.Gateway.Ga4;

/// <summary>
/// Reads GA4's web tag protocol, as gtag.js sends it to /g/collect when transport_url / server_container_url points at a
/// server: shared parameters in the query string (v=2, tid, cid, uid, sid, dl, dr, dt, sr, ul, up.* / upn.* user
/// properties, …), one event per body line (or the query string alone), each with en, _et, ep.* (text) / epn.* (number)
/// params and pr1, pr2, … items ("idSKU_1~nmT-Shirt~qt2"); a line overrides the query. ul (the browser's language) is
/// not kept: no report has a language dimension (Plausible's neither), and Accept-Language is not read either.
/// </summary>
public static class GtagHitReader
{
    public const string ProtocolVersion = "2";

    /// <summary>Query keys that become GA4 params of the same meaning as in the Measurement Protocol.</summary>
    private static readonly Dictionary<string, string> KnownParams = new(StringComparer.Ordinal)
    {
        ["dl"] = "page_location",
        ["dr"] = "page_referrer",
        ["dt"] = "page_title",
        ["sid"] = "session_id",
        ["_et"] = "engagement_time_msec",
        ["cu"] = "currency",
    };

    public static GtagHits Read(IEnumerable<KeyValuePair<string, StringValues>> query, string body)
    {
        var shared = query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var measurementId = shared.GetValueOrDefault("tid");
        if (shared.GetValueOrDefault("v") != ProtocolVersion)
        {
            return new GtagHits(measurementId, [], 1);
        }

        var lines = body.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var hits = new List<Ga4Hit>();
        var invalid = 0;
        foreach (var line in lines.Length == 0 ? [""] : lines)
        {
            if (hits.Count >= Ga4Limits.MaxEvents)
            {
                invalid++;
                continue;
            }

            var fields = new Dictionary<string, string>(shared, StringComparer.Ordinal);
            foreach (var (key, value) in QueryHelpers.ParseQuery(line))
            {
                fields[key] = value.ToString();
            }

            if (ToHit(fields) is { } hit)
            {
                hits.Add(hit);
            }
            else
            {
                invalid++;
            }
        }

        return new GtagHits(measurementId, hits, invalid);
    }

    private static Ga4Hit? ToHit(Dictionary<string, string> fields)
    {
        if (fields.GetValueOrDefault("cid") is not { Length: > 0 and <= Ga4Limits.MaxUserIdLength } clientId
            || fields.GetValueOrDefault("en") is not { Length: > 0 and <= Ga4Limits.MaxNameLength } name
            || !Ga4Limits.IsValidName(name))
        {
            return null;
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, param) in KnownParams)
        {
            if (fields.GetValueOrDefault(key) is { Length: > 0 } value)
            {
                parameters[param] = value;
            }
        }

        var custom = 0;
        foreach (var (key, value) in fields.Where(f => f.Key.StartsWith("ep", StringComparison.Ordinal)))
        {
            if (custom >= Ga4Limits.MaxParams)
            {
                break;
            }

            custom++;
            if (key.StartsWith("ep.", StringComparison.Ordinal) && ParamName(key[3..]) is { } text)
            {
                // As GA4 does, an over-long value is cut rather than losing the event.
                parameters[text] = value.Length <= Ga4Limits.MaxParamValueLength ? value : value[..Ga4Limits.MaxParamValueLength];
            }
            else if (key.StartsWith("epn.", StringComparison.Ordinal) && ParamName(key[4..]) is { } number
                && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n))
            {
                parameters[number] = n.ToString(CultureInfo.InvariantCulture);
            }
        }

        Ga4Items.AddProps(parameters, [.. fields.Where(f => IsItemKey(f.Key)).OrderBy(f => int.Parse(f.Key.AsSpan(2), CultureInfo.InvariantCulture)).Select(f => Item(f.Value))]);
        return new Ga4Hit
        {
            Name = name,
            ClientId = clientId,
            UserId = fields.GetValueOrDefault("uid") is { Length: > 0 and <= Ga4Limits.MaxUserIdLength } userId ? userId : null,
            Params = parameters,
            UserProperties = UserProperties(fields),
            ScreenWidth = Ga4Hit.WidthOf(fields.GetValueOrDefault("sr")),
        };
    }

    /// <summary>up.name (text) / upn.name (number) → the user property name, value as for event params.</summary>
    private static Dictionary<string, string> UserProperties(Dictionary<string, string> fields)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in fields.Where(f => f.Key.StartsWith("up", StringComparison.Ordinal)).Take(Ga4Limits.MaxUserProperties))
        {
            if (key.StartsWith("up.", StringComparison.Ordinal) && ParamName(key[3..]) is { Length: <= Ga4Limits.MaxUserPropertyNameLength } text)
            {
                properties[text] = value.Length <= Ga4Limits.MaxUserPropertyValueLength ? value : value[..Ga4Limits.MaxUserPropertyValueLength];
            }
            else if (key.StartsWith("upn.", StringComparison.Ordinal) && ParamName(key[4..]) is { Length: <= Ga4Limits.MaxUserPropertyNameLength } number
                && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n))
            {
                properties[number] = n.ToString(CultureInfo.InvariantCulture);
            }
        }

        return properties;
    }

    /// <summary>pr1 … pr200, gtag's items of an ecommerce event.</summary>
    private static bool IsItemKey(string key) =>
        key.Length is > 2 and <= 5 && key.StartsWith("pr", StringComparison.Ordinal)
        && int.TryParse(key.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 200;

    /// <summary>"idSKU_1~nmT-Shirt~qt2" → (SKU_1, T-Shirt): the fields are two-letter tags, "~"-separated.</summary>
    private static (string? Id, string? Name) Item(string value)
    {
        string? Field(string tag) => value.Split('~').FirstOrDefault(f => f.StartsWith(tag, StringComparison.Ordinal) && f.Length > 2) is { } field
            ? field[2..Math.Min(field.Length, 2 + Ga4Limits.MaxParamValueLength)]
            : null;
        return (Field("id"), Field("nm"));
    }

    private static string? ParamName(string name) =>
        name.Length <= Ga4Limits.MaxNameLength && Ga4Limits.IsValidName(name) && !Ga4Limits.HasReservedPrefix(name) ? name : null;
}
