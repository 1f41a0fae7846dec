using System.Buffers;
using System.Collections.Concurrent;

namespace Analytics.Gateway.Enrichment;

/// <summary>
/// Compact User-Agent parser covering the browsers, OSes and bots that make up nearly all
/// web traffic. Thread-safe; keeps a bounded cache because real traffic repeats UAs heavily.
/// </summary>
public sealed class UserAgentParser
{
    private const int CacheCapacity = 10_000;

    // Longer strings are parsed but never cached, so junk UAs cannot balloon memory.
    private const int MaxCachedLength = 512;

    // Real browsers never send anything this short; scripts and probes often do.
    private const int MinBrowserLength = 10;

    private const string Mobile = "Mobile";
    private const string Tablet = "Tablet";
    private const string Desktop = "Desktop";

    private static readonly UserAgentInfo Missing =
        new(UserAgentInfo.Unknown, "", UserAgentInfo.Unknown, "", UserAgentInfo.Unknown, IsBot: true);

    // First match wins, so wrappers and forks come before the engines whose tokens they repeat.
    private static readonly BrowserRule[] BrowserRules =
    [
        new("FBAV/", "Facebook"),
        new("FBAN/", "Facebook", "FBAV/"),
        new("FB_IAB/", "Facebook", "FBAV/"),
        new("Instagram ", "Instagram"),
        new("EdgiOS/", "Edge"),
        new("EdgA/", "Edge"),
        new("Edg/", "Edge"),
        new("Edge/", "Edge"),
        new("OPR/", "Opera"),
        new("OPiOS/", "Opera"),
        new("OPT/", "Opera"),
        new("Opera Mini/", "Opera Mini"),
        new("Opera/", "Opera", "Version/"),
        new("SamsungBrowser/", "Samsung Internet"),
        new("UCBrowser/", "UC Browser"),
        new("YaBrowser/", "Yandex Browser"),
        new("Vivaldi/", "Vivaldi"),
        new("Ddg/", "DuckDuckGo"),
        new("DuckDuckGo/", "DuckDuckGo"),
        new("CriOS/", "Chrome"),
        new("FxiOS/", "Firefox"),
        new("Firefox/", "Firefox"),
        new("Chrome/", "Chrome"),
        new("MSIE ", "Internet Explorer"),
        new("Trident/", "Internet Explorer", "rv:"),
        new("Safari/", "Safari", "Version/"),
    ];

    // Crawlers, previewers, monitors and HTTP libraries. Generic "bot" is handled separately
    // (see HasBotWord) because a plain substring match would flag phones such as the Cubot.
    private static readonly SearchValues<string> BotMarkers = SearchValues.Create(
    [
        "crawl", "spider", "slurp", "+http", "facebookexternalhit", "facebookcatalog",
        "meta-externalagent", "Mediapartners-Google", "Google-InspectionTool", "Google-Read-Aloud",
        "Feedfetcher", "APIs-Google", "ChatGPT-User", "anthropic-ai", "Claude-Web", "ia_archiver",
        "Yeti/", "Qwantify", "WhatsApp/", "SkypeUriPreview", "Embedly", "HeadlessChrome", "PhantomJS",
        "Lighthouse", "Pingdom", "StatusCake", "Datadog", "GTmetrix", "Site24x7", "Uptime-Kuma",
        "curl/", "Wget/", "python-requests", "python-urllib", "python-httpx", "aiohttp", "Scrapy",
        "Go-http-client", "okhttp", "Java/", "Apache-HttpClient", "node-fetch", "axios/", "undici",
        "libwww-perl", "PostmanRuntime", "insomnia/", "Dart/", "Deno/", "reqwest/", "Guzzle",
        "WordPress/", "zgrab", "masscan", "Nmap", "CensysInspect", "NetcraftSurveyAgent",
    ], StringComparison.OrdinalIgnoreCase);

    private readonly ConcurrentDictionary<string, UserAgentInfo> _cache = new(StringComparer.Ordinal);
    private int _cacheCount;

    public UserAgentInfo Parse(string? userAgent)
    {
        var ua = userAgent?.Trim();
        if (ua is null || ua.Length < MinBrowserLength)
        {
            return ua is null or "" ? Missing : ParseUncached(ua);
        }

        if (ua.Length > MaxCachedLength)
        {
            return ParseUncached(ua);
        }

        if (_cache.TryGetValue(ua, out var cached))
        {
            return cached;
        }

        var info = ParseUncached(ua);
        if (_cache.TryAdd(ua, info) && Interlocked.Increment(ref _cacheCount) > CacheCapacity)
        {
            // A wholesale reset is cheaper than LRU bookkeeping; hot UAs repopulate within moments.
            _cache.Clear();
            Interlocked.Exchange(ref _cacheCount, 0);
        }

        return info;
    }

    private static UserAgentInfo ParseUncached(string userAgent)
    {
        var ua = userAgent.AsSpan();
        var isBot = ua.Length < MinBrowserLength || ua.IndexOfAny(BotMarkers) >= 0 || HasBotWord(ua);
        var (browser, browserVersion) = DetectBrowser(ua);
        var (os, osVersion) = DetectOs(ua);
        return new UserAgentInfo(browser, browserVersion, os, osVersion, DetectDevice(ua, os), isBot);
    }

    /// <summary>True when "bot" ends a word ("Googlebot/2.1", "AhrefsBot;") but not in "Cubot" phones.</summary>
    private static bool HasBotWord(ReadOnlySpan<char> ua)
    {
        var offset = 0;
        while (true)
        {
            var found = ua[offset..].IndexOf("bot", StringComparison.OrdinalIgnoreCase);
            if (found < 0)
            {
                return false;
            }

            var start = offset + found;
            var end = start + 3;
            var endsWord = end == ua.Length || !char.IsAsciiLetter(ua[end]);
            var isCubot = start >= 2 && ua.Slice(start - 2, 2).Equals("cu", StringComparison.OrdinalIgnoreCase);
            if (endsWord && !isCubot)
            {
                return true;
            }

            offset = end;
        }
    }

    private static (string Name, string Version) DetectBrowser(ReadOnlySpan<char> ua)
    {
        foreach (var rule in BrowserRules)
        {
            var at = ua.IndexOf(rule.Token, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            // The stock Android browser mimics Safari's tokens; don't credit Apple with it.
            var name = rule.Name == "Safari" && ua.Contains("Android", StringComparison.Ordinal)
                ? "Android Browser"
                : rule.Name;
            var versionAt = rule.VersionToken is null ? -1 : ua.IndexOf(rule.VersionToken, StringComparison.Ordinal);
            var version = versionAt >= 0
                ? ReadVersion(ua, versionAt + rule.VersionToken!.Length)
                : ReadVersion(ua, at + rule.Token.Length);
            return (name, version);
        }

        return (UserAgentInfo.Unknown, "");
    }

    private static (string Name, string Version) DetectOs(ReadOnlySpan<char> ua)
    {
        if (After(ua, "Windows Phone ") is var phone and >= 0)
        {
            return ("Windows Phone", ReadVersion(ua, phone));
        }

        if (After(ua, "Windows NT ") is var nt and >= 0)
        {
            return ("Windows", WindowsName(ua[nt..]));
        }

        if (ua.Contains("Windows", StringComparison.Ordinal))
        {
            return ("Windows", "");
        }

        // Checked before macOS because iOS UAs say "like Mac OS X".
        if (IsAppleHandheld(ua))
        {
            var os = After(ua, " OS ");
            return ("iOS", os >= 0 ? ReadVersion(ua, os, allowUnderscore: true) : "");
        }

        // Checked before Android and Linux because Chromebooks also claim X11 and, in ARC, Android.
        if (ua.Contains("CrOS", StringComparison.Ordinal))
        {
            return ("Chrome OS", "");
        }

        if (After(ua, "Android") is var android and >= 0)
        {
            var version = android < ua.Length && ua[android] == ' ' ? ReadVersion(ua, android + 1) : "";
            return ("Android", version);
        }

        if (After(ua, "Mac OS X") is var mac and >= 0)
        {
            var version = mac < ua.Length && ua[mac] == ' ' ? ReadVersion(ua, mac + 1, allowUnderscore: true) : "";
            return ("macOS", version);
        }

        if (ua.Contains("Macintosh", StringComparison.Ordinal))
        {
            return ("macOS", "");
        }

        if (ua.Contains("Linux", StringComparison.Ordinal) || ua.Contains("X11", StringComparison.Ordinal))
        {
            return ("Linux", "");
        }

        return (UserAgentInfo.Unknown, "");
    }

    private static string DetectDevice(ReadOnlySpan<char> ua, string os)
    {
        if (ua.Contains("iPad", StringComparison.Ordinal))
        {
            return Tablet;
        }

        if (ua.Contains("iPhone", StringComparison.Ordinal) || ua.Contains("iPod", StringComparison.Ordinal))
        {
            return Mobile;
        }

        switch (os)
        {
            case "Windows Phone":
                return Mobile;
            case "Android":
                // Android phones say "Mobile"; tablets (incl. Kindle Fire) leave it out.
                return ua.Contains(Mobile, StringComparison.Ordinal) ? Mobile : Tablet;
            case "Windows" or "macOS" or "Linux" or "Chrome OS":
                return Desktop;
        }

        if (ua.Contains(Tablet, StringComparison.Ordinal) || ua.Contains("Kindle", StringComparison.Ordinal))
        {
            return Tablet;
        }

        return ua.Contains(Mobile, StringComparison.Ordinal) ? Mobile : UserAgentInfo.Unknown;
    }

    private static bool IsAppleHandheld(ReadOnlySpan<char> ua) =>
        ua.Contains("iPhone", StringComparison.Ordinal)
        || ua.Contains("iPad", StringComparison.Ordinal)
        || ua.Contains("iPod", StringComparison.Ordinal);

    private static string WindowsName(ReadOnlySpan<char> version) => version switch
    {
        _ when version.StartsWith("10.0") => "10", // Windows 11 still reports NT 10.0.
        _ when version.StartsWith("6.3") => "8.1",
        _ when version.StartsWith("6.2") => "8",
        _ when version.StartsWith("6.1") => "7",
        _ when version.StartsWith("6.0") => "Vista",
        _ when version.StartsWith("5.1") || version.StartsWith("5.2") => "XP",
        _ => "",
    };

    /// <summary>Index just past <paramref name="token"/>, or -1 when absent.</summary>
    private static int After(ReadOnlySpan<char> ua, string token)
    {
        var at = ua.IndexOf(token, StringComparison.Ordinal);
        return at < 0 ? -1 : at + token.Length;
    }

    /// <summary>Reads "major" or "major.minor" at <paramref name="start"/>; "" when no digit is there.</summary>
    private static string ReadVersion(ReadOnlySpan<char> ua, int start, bool allowUnderscore = false)
    {
        var major = CountDigits(ua, start);
        if (major == 0)
        {
            return "";
        }

        var separator = start + major;
        var hasMinor = separator < ua.Length
            && (ua[separator] == '.' || (allowUnderscore && ua[separator] == '_'))
            && CountDigits(ua, separator + 1) > 0;
        if (!hasMinor)
        {
            return ua.Slice(start, major).ToString();
        }

        var minor = CountDigits(ua, separator + 1);
        return string.Concat(ua.Slice(start, major), ".", ua.Slice(separator + 1, minor));
    }

    private static int CountDigits(ReadOnlySpan<char> ua, int start)
    {
        var end = start;
        while (end < ua.Length && char.IsAsciiDigit(ua[end]))
        {
            end++;
        }

        return end - start;
    }
}
