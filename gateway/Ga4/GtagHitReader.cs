using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Analytics.Gateway.Ga4;

/// <summary>
/// Reads GA4's web tag protocol, as gtag.js sends it to /g/collect when transport_url / server_container_url points at a
/// server: shared parameters in the query string (v=2, tid, cid, sid, dl, dr, dt, sr, ul, …), one event per body line
/// (or the query string alone), each with en, _et and ep.* (text) / epn.* (number) params; a line overrides the query.
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

        return new Ga4Hit
        {
            Name = name,
            ClientId = clientId,
            Params = parameters,
            ScreenWidth = Ga4Hit.WidthOf(fields.GetValueOrDefault("sr")),
        };
    }

    private static string? ParamName(string name) =>
        name.Length <= Ga4Limits.MaxNameLength && Ga4Limits.IsValidName(name) && !Ga4Limits.HasReservedPrefix(name) ? name : null;
}
