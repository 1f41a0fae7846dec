using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Analytics.Gateway.Enrichment;

/// <summary>
/// Derives Plausible's "source" and "referrer" dimensions from the Referer header and UTM tags.
/// Only absolute http(s) referrers count; anything else (including app schemes) is "Direct / None".
/// </summary>
public sealed class ReferrerClassifier
{
    public const string Direct = "Direct / None";

    // Matched against the normalised host and each of its parent domains, longest first,
    // so "mail.google.com" wins over the generic Google rule and "lm.facebook.com" finds "facebook.com".
    private static readonly FrozenDictionary<string, string> KnownHosts = new Dictionary<string, string>
    {
        ["mail.google.com"] = "Gmail",
        ["news.google.com"] = "Google News",
        ["gemini.google.com"] = "Gemini",
        ["duckduckgo.com"] = "DuckDuckGo",
        ["ya.ru"] = "Yandex",
        ["ecosia.org"] = "Ecosia",
        ["search.brave.com"] = "Brave Search",
        ["startpage.com"] = "Startpage",
        ["qwant.com"] = "Qwant",
        ["mail.yahoo.com"] = "Yahoo Mail",
        ["outlook.live.com"] = "Outlook",
        ["outlook.office.com"] = "Outlook",
        ["outlook.office365.com"] = "Outlook",
        ["facebook.com"] = "Facebook",
        ["fb.me"] = "Facebook",
        ["instagram.com"] = "Instagram",
        ["twitter.com"] = "Twitter",
        ["t.co"] = "Twitter",
        ["x.com"] = "Twitter",
        ["linkedin.com"] = "LinkedIn",
        ["lnkd.in"] = "LinkedIn",
        ["reddit.com"] = "Reddit",
        ["youtube.com"] = "YouTube",
        ["youtu.be"] = "YouTube",
        ["github.com"] = "GitHub",
        ["news.ycombinator.com"] = "Hacker News",
        ["producthunt.com"] = "Product Hunt",
        ["wikipedia.org"] = "Wikipedia",
        ["tiktok.com"] = "TikTok",
        ["threads.net"] = "Threads",
        ["bsky.app"] = "Bluesky",
        ["discord.com"] = "Discord",
        ["t.me"] = "Telegram",
        ["stackoverflow.com"] = "Stack Overflow",
        ["chatgpt.com"] = "ChatGPT",
        ["chat.openai.com"] = "ChatGPT",
        ["perplexity.ai"] = "Perplexity",
        ["claude.ai"] = "Claude",
        ["copilot.microsoft.com"] = "Copilot",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Brands that run the same site under many country domains (google.de, search.yahoo.co.jp).
    private static readonly FrozenDictionary<string, string> CountryDomainBrands = new Dictionary<string, string>
    {
        ["google"] = "Google",
        ["bing"] = "Bing",
        ["yahoo"] = "Yahoo",
        ["yandex"] = "Yandex",
        ["baidu"] = "Baidu",
        ["pinterest"] = "Pinterest",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Shorthands marketers put in utm_source; anything not listed is kept as written.
    private static readonly FrozenDictionary<string, string> UtmAliases = new Dictionary<string, string>
    {
        ["fb"] = "Facebook",
        ["facebook"] = "Facebook",
        ["ig"] = "Instagram",
        ["instagram"] = "Instagram",
        ["google"] = "Google",
        ["bing"] = "Bing",
        ["tw"] = "Twitter",
        ["twitter"] = "Twitter",
        ["x"] = "Twitter",
        ["li"] = "LinkedIn",
        ["linkedin"] = "LinkedIn",
        ["yt"] = "YouTube",
        ["youtube"] = "YouTube",
        ["reddit"] = "Reddit",
        ["tiktok"] = "TikTok",
        ["pinterest"] = "Pinterest",
        ["ddg"] = "DuckDuckGo",
        ["duckduckgo"] = "DuckDuckGo",
        ["hn"] = "Hacker News",
        ["hackernews"] = "Hacker News",
        ["chatgpt"] = "ChatGPT",
        ["perplexity"] = "Perplexity",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> KnownHostsBySpan =
        KnownHosts.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// A non-blank <paramref name="utmSource"/> wins (aliases such as "fb" and known hosts such as
    /// "chatgpt.com" become friendly names, anything else is kept trimmed); otherwise a known referrer
    /// host's friendly name, otherwise the referrer host without "www.". Missing, unparsable or
    /// own-site referrers give <see cref="Direct"/>.
    /// </summary>
    public string ClassifySource(string? referrer, string? ownHostname, string? utmSource) =>
        ClassifySource(UrlText.ParseAbsolute(referrer), ownHostname, utmSource);

    /// <inheritdoc cref="ClassifySource(string?, string?, string?)"/>
    /// <param name="referrer">The referrer already parsed as an absolute URL (<see cref="Ingestion.IngestionContext.ReferrerUri"/>).</param>
    public string ClassifySource(Uri? referrer, string? ownHostname, string? utmSource)
    {
        var utm = utmSource?.Trim();
        if (!string.IsNullOrEmpty(utm))
        {
            return UtmAliases.TryGetValue(utm, out var alias)
                ? alias
                : FriendlyName(UrlText.NormalizeHost(utm)) ?? utm;
        }

        return TryExternalReferrer(referrer, ownHostname, out var host)
            ? FriendlyName(host) ?? host
            : Direct;
    }

    /// <summary>
    /// The referrer as shown in the "referrer" dimension: host without "www." plus decoded path, with no
    /// scheme, query, fragment or trailing slash ("google.com", "blog.example.org/post"). Null when the
    /// visit is direct, internal or the referrer is unparsable.
    /// </summary>
    public string? ReferrerForStats(string? referrer, string? ownHostname) => ReferrerForStats(UrlText.ParseAbsolute(referrer), ownHostname);

    /// <inheritdoc cref="ReferrerForStats(string?, string?)"/>
    /// <param name="referrer">The referrer already parsed as an absolute URL (<see cref="Ingestion.IngestionContext.ReferrerUri"/>).</param>
    public string? ReferrerForStats(Uri? referrer, string? ownHostname)
    {
        if (!TryExternalReferrer(referrer, ownHostname, out var host))
        {
            return null;
        }

        return host + UrlText.Decode(referrer.AbsolutePath).TrimEnd('/');
    }

    private static bool TryExternalReferrer([NotNullWhen(true)] Uri? referrer, string? ownHostname, out string host)
    {
        if (referrer is null || !UrlText.IsHttp(referrer))
        {
            host = "";
            return false;
        }

        host = UrlText.NormalizeHost(referrer.Host);
        return string.IsNullOrWhiteSpace(ownHostname) || host != UrlText.NormalizeHost(ownHostname);
    }

    private static string? FriendlyName(string host)
    {
        var domain = host.AsSpan();
        while (true)
        {
            if (KnownHostsBySpan.TryGetValue(domain, out var name))
            {
                return name;
            }

            var dot = domain.IndexOf('.');
            if (dot < 0)
            {
                return CountryDomainBrand(host);
            }

            domain = domain[(dot + 1)..];
        }
    }

    /// <summary>Finds "brand.tld" or "brand.co.tld"-style hosts: the brand label followed only by short suffix labels.</summary>
    private static string? CountryDomainBrand(string host)
    {
        var labels = host.Split('.');
        for (var i = 0; i < labels.Length - 1; i++)
        {
            var suffix = labels.AsSpan(i + 1);
            if (suffix.Length <= 2
                && CountryDomainBrands.TryGetValue(labels[i], out var brand)
                && IsPublicSuffixLike(suffix))
            {
                return brand;
            }
        }

        return null;
    }

    private static bool IsPublicSuffixLike(ReadOnlySpan<string> labels)
    {
        foreach (var label in labels)
        {
            if (label.Length is < 2 or > 3)
            {
                return false;
            }
        }

        return true;
    }
}
