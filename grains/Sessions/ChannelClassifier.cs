using System.Collections.Frozen;

namespace Analytics.Grains.Sessions;

/// <summary>
/// A session's acquisition channel from its source and UTM tags, by Plausible's rules (GA4's default channel grouping
/// with Plausible's additions: AI assistants have their own channel; a known ad shorthand in utm_source makes traffic
/// paid whatever its medium). Checked in Plausible's order; the first rule that matches wins. Everything is compared
/// lower-cased. The source categories below are our own list of the sources our referrer classifier names, plus common
/// utm_source spellings. Click-id auto-tagging (gclid, msclkid) is not seen here, so it does not make search paid.
/// </summary>
public static class ChannelClassifier
{
    public const string Direct = "Direct";

    private enum Category
    {
        Search,
        Social,
        Video,
        Shopping,
        Email,
        AiAssistants,
    }

    private static readonly FrozenDictionary<string, Category> Categories = new Dictionary<string, Category>
    {
        ["google"] = Category.Search,
        ["bing"] = Category.Search,
        ["yahoo"] = Category.Search,
        ["yahoo!"] = Category.Search,
        ["duckduckgo"] = Category.Search,
        ["yandex"] = Category.Search,
        ["baidu"] = Category.Search,
        ["ecosia"] = Category.Search,
        ["brave"] = Category.Search,
        ["brave search"] = Category.Search,
        ["startpage"] = Category.Search,
        ["qwant"] = Category.Search,
        ["naver"] = Category.Search,
        ["seznam"] = Category.Search,
        ["sogou"] = Category.Search,
        ["so.com"] = Category.Search,
        ["ask"] = Category.Search,
        ["aol"] = Category.Search,
        ["facebook"] = Category.Social,
        ["instagram"] = Category.Social,
        ["twitter"] = Category.Social,
        ["x (twitter)"] = Category.Social,
        ["linkedin"] = Category.Social,
        ["reddit"] = Category.Social,
        ["pinterest"] = Category.Social,
        ["tiktok"] = Category.Social,
        ["threads"] = Category.Social,
        ["bluesky"] = Category.Social,
        ["mastodon"] = Category.Social,
        ["discord"] = Category.Social,
        ["telegram"] = Category.Social,
        ["slack"] = Category.Social,
        ["whatsapp"] = Category.Social,
        ["snapchat"] = Category.Social,
        ["tumblr"] = Category.Social,
        ["quora"] = Category.Social,
        ["vkontakte"] = Category.Social,
        ["vk"] = Category.Social,
        ["weibo"] = Category.Social,
        ["wechat"] = Category.Social,
        ["hacker news"] = Category.Social,
        ["product hunt"] = Category.Social,
        ["producthunt"] = Category.Social,
        ["github"] = Category.Social,
        ["stack overflow"] = Category.Social,
        ["microsoft teams"] = Category.Social,
        ["youtube"] = Category.Video,
        ["vimeo"] = Category.Video,
        ["twitch"] = Category.Video,
        ["dailymotion"] = Category.Video,
        ["wistia"] = Category.Video,
        ["amazon"] = Category.Shopping,
        ["ebay"] = Category.Shopping,
        ["etsy"] = Category.Shopping,
        ["shopify"] = Category.Shopping,
        ["walmart"] = Category.Shopping,
        ["alibaba"] = Category.Shopping,
        ["aliexpress"] = Category.Shopping,
        ["temu.com"] = Category.Shopping,
        ["gmail"] = Category.Email,
        ["yahoo mail"] = Category.Email,
        ["outlook"] = Category.Email,
        ["outlook.com"] = Category.Email,
        ["chatgpt"] = Category.AiAssistants,
        ["chatgpt.com"] = Category.AiAssistants,
        ["claude"] = Category.AiAssistants,
        ["perplexity"] = Category.AiAssistants,
        ["copilot"] = Category.AiAssistants,
        ["gemini"] = Category.AiAssistants,
        ["google gemini"] = Category.AiAssistants,
        ["deepseek"] = Category.AiAssistants,
        ["phind"] = Category.AiAssistants,
        ["grok"] = Category.AiAssistants,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>utm_source shorthands of ad networks: paid whatever the medium says.</summary>
    private static readonly FrozenSet<string> PaidSources = new[]
    {
        "adwords", "google ads", "googleads", "gads", "bing ads", "microsoft ads", "fb_ad", "fb-ads", "facebook_ad", "facebook_ads",
        "ig_ad", "ig-ads", "instagram_ads", "yt-ads", "youtube_ads", "twitter_ads", "x_ads", "linkedin_ads", "tiktok_ads", "reddit_ads",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly string[] EmailTags = ["email", "e-mail", "e_mail", "e mail", "newsletter"];

    private static readonly FrozenSet<string> DisplayMediums = new[] { "display", "banner", "expandable", "interstitial", "cpm" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> SocialMediums =
        new[] { "social", "social-network", "social-media", "sm", "social network", "social media" }.ToFrozenSet(StringComparer.Ordinal);

    /// <param name="source">The session's source as the gateway named it ("Google", "news.example", "Direct / None").</param>
    public static string Classify(string? source, string? utmSource, string? utmMedium, string? utmCampaign)
    {
        var s = source is null or "Direct / None" ? string.Empty : source.ToLowerInvariant();
        var medium = utmMedium?.ToLowerInvariant() ?? string.Empty;
        var campaign = utmCampaign?.ToLowerInvariant() ?? string.Empty;
        var tagged = utmSource?.ToLowerInvariant() ?? string.Empty;
        Category? category = Categories.TryGetValue(s, out var known) ? known : null;
        var paidMedium = IsPaidMedium(medium);
        var paidSource = PaidSources.Contains(tagged);
        var shopping = category == Category.Shopping || IsShoppingCampaign(campaign);

        return 0 switch
        {
            _ when campaign.Contains("cross-network", StringComparison.Ordinal) => "Cross-network",
            _ when shopping && paidMedium => "Paid Shopping",
            _ when category == Category.Search && (paidMedium || paidSource) => "Paid Search",
            _ when category == Category.Social && (paidMedium || paidSource) => "Paid Social",
            _ when category == Category.Video && (paidMedium || paidSource) => "Paid Video",
            _ when DisplayMediums.Contains(medium) => "Display",
            _ when paidMedium => "Paid Other",
            _ when shopping => "Organic Shopping",
            _ when category == Category.Social || SocialMediums.Contains(medium) => "Organic Social",
            _ when category == Category.Video || medium.Contains("video", StringComparison.Ordinal) => "Organic Video",
            _ when category == Category.AiAssistants => "AI Assistants",
            _ when category == Category.Search => "Organic Search",
            _ when category == Category.Email || ContainsAny(tagged, EmailTags) || ContainsAny(medium, EmailTags) => "Email",
            _ when medium == "affiliate" => "Affiliates",
            _ when medium == "audio" => "Audio",
            _ when tagged == "sms" || medium == "sms" => "SMS",
            _ when medium.EndsWith("push", StringComparison.Ordinal) || medium.Contains("mobile", StringComparison.Ordinal)
                || medium.Contains("notification", StringComparison.Ordinal) || s == "firebase" => "Mobile Push Notifications",
            _ when medium is "referral" or "app" or "link" || s.Length > 0 => "Referral",
            _ => Direct,
        };
    }

    /// <summary>Anything with "cp" (cpc, cpa, cpv...), ppc, retargeting, or starting with "paid".</summary>
    private static bool IsPaidMedium(string medium) =>
        medium.Contains("cp", StringComparison.Ordinal) || medium is "ppc" or "retargeting" || medium.StartsWith("paid", StringComparison.Ordinal);

    /// <summary>"shopping" anywhere, or "shop" at the start or after a character that is no letter but "e" ("eshop", "summer-shop", not "workshop").</summary>
    private static bool IsShoppingCampaign(string campaign)
    {
        if (campaign.Contains("shopping", StringComparison.Ordinal))
        {
            return true;
        }

        for (var at = campaign.IndexOf("shop", StringComparison.Ordinal); at >= 0; at = campaign.IndexOf("shop", at + 1, StringComparison.Ordinal))
        {
            if (at == 0 || campaign[at - 1] is not ((>= 'a' and <= 'd') or (>= 'f' and <= 'z')))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsAny(string value, string[] parts) => parts.Any(p => value.Contains(p, StringComparison.Ordinal));
}
