using System.Diagnostics.CodeAnalysis;

namespace Analytics.Gateway.Enrichment;

/// <summary>Normalisation shared by page URLs and referrers so both dimensions agree.</summary>
internal static class UrlText
{
    /// <summary>Lower-cased host without a trailing dot or leading "www.".</summary>
    public static string NormalizeHost(string host)
    {
        var normalized = host.Trim().TrimEnd('.').ToLowerInvariant();
        return normalized.StartsWith("www.", StringComparison.Ordinal) ? normalized[4..] : normalized;
    }

    /// <summary>
    /// Percent-decodes text. Sequences that are not valid UTF-8 stay encoded, which is exactly how
    /// <see cref="Uri.UnescapeDataString(string)"/> treats them.
    /// </summary>
    public static string Decode(string text) => text.Contains('%') ? Uri.UnescapeDataString(text) : text;

    /// <summary>Parses an absolute http(s) URL with a host; anything else is rejected.</summary>
    public static bool TryParseHttp(string? text, [NotNullWhen(true)] out Uri? uri) =>
        (uri = ParseAbsolute(text)) is not null && IsHttp(uri);

    /// <summary>An absolute URL of any scheme, surrounding whitespace ignored; null when the text is none.</summary>
    public static Uri? ParseAbsolute(string? text) => Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var uri) ? uri : null;

    /// <summary>An http(s) URL with a host.</summary>
    public static bool IsHttp(Uri uri) =>
        (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;
}
