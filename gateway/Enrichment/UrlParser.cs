using System.Diagnostics.CodeAnalysis;

namespace Analytics.Gateway.Enrichment;

/// <summary>Parses the page URL sent by the tracker into the dimensions Plausible records.</summary>
public static class UrlParser
{
    public const int MaxUrlLength = 2048;

    public static bool TryParse(string? url, [MaybeNullWhen(false)] out ParsedUrl parsed) => TryParse(url, hashMode: false, out parsed);

    /// <summary>
    /// Accepts absolute http(s) URLs of at most <see cref="MaxUrlLength"/> characters. With
    /// <paramref name="hashMode"/> (single-page apps routing on the fragment) the fragment is appended
    /// to the path, "/app" + "#/settings" → "/app#/settings"; any "?query" inside the fragment is dropped
    /// for the same reason the real query is: it carries tokens and explodes cardinality.
    /// <c>ref</c> stands in for <c>utm_source</c> when the latter is missing.
    /// </summary>
    public static bool TryParse(string? url, bool hashMode, [MaybeNullWhen(false)] out ParsedUrl parsed)
    {
        if (url is null || url.Length > MaxUrlLength || !UrlText.TryParseHttp(url, out var uri))
        {
            parsed = null;
            return false;
        }

        var path = uri.AbsolutePath;
        if (hashMode && uri.Fragment.Length > 1)
        {
            var fragment = uri.Fragment;
            var query = fragment.IndexOf('?');
            path += query < 0 ? fragment : fragment[..query];
        }

        var queryString = uri.Query.AsSpan();
        parsed = new ParsedUrl(
            UrlText.NormalizeHost(uri.Host),
            UrlText.Decode(path),
            QueryValue(queryString, "utm_source") ?? QueryValue(queryString, "ref"),
            QueryValue(queryString, "utm_medium"),
            QueryValue(queryString, "utm_campaign"),
            QueryValue(queryString, "utm_content"),
            QueryValue(queryString, "utm_term"));
        return true;
    }

    /// <summary>First non-empty value of <paramref name="name"/> (case-sensitive), decoded and trimmed.</summary>
    private static string? QueryValue(ReadOnlySpan<char> query, string name)
    {
        if (query.StartsWith('?'))
        {
            query = query[1..];
        }

        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            var equals = pair.IndexOf('=');
            if (equals < 0 || !pair[..equals].SequenceEqual(name))
            {
                continue;
            }

            var value = UrlText.Decode(pair[(equals + 1)..].ToString().Replace('+', ' ')).Trim();
            if (value.Length > 0)
            {
                return value;
            }
        }

        return null;
    }
}
