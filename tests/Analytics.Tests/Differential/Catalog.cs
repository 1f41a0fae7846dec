namespace Analytics.Tests.Differential;

/// <summary>
/// The values the generated events draw from, shared with the query generator so that random filters hit real values.
/// Mixed case on purpose ("/Pricing", "Enterprise"), so that case_sensitive false has something to change.
/// </summary>
public static class Catalog
{
    public static readonly IReadOnlyList<string> Pages =
    [
        "/", "/", "/", "/pricing", "/pricing", "/Pricing", "/blog", "/blog", "/docs/start", "/docs/api", "/docs/API-v2", "/about",
        "/contact", "/signup", "/login", .. Enumerable.Range(1, 40).Select(i => $"/blog/post-{i}"),
    ];

    public static readonly IReadOnlyList<string> HostPrefixes = ["", "", "", "", "www.", "app."];

    /// <summary>(source, referrer): what the gateway's referrer classification produces.</summary>
    public static readonly IReadOnlyList<(string Source, string? Referrer)> Sources =
    [
        ("Direct / None", null), ("Direct / None", null), ("Direct / None", null),
        ("Google", "https://www.google.com/"), ("Google", "https://www.google.de/"), ("Google", "https://www.google.com/"),
        ("Bing", "https://www.bing.com/"), ("DuckDuckGo", "https://duckduckgo.com/"), ("Facebook", "https://m.facebook.com/"),
        ("Twitter", "https://t.co/abc"), ("Hacker News", "https://news.ycombinator.com/item?id=1"), ("GitHub", "https://github.com/acme/widget"),
        ("newsletter", null), ("Reddit", "https://www.reddit.com/r/analytics/"),
    ];

    public static readonly IReadOnlyList<string> UtmSources = ["newsletter", "google", "twitter", "Partner-Site"];
    public static readonly IReadOnlyList<string> UtmMediums = ["email", "cpc", "social", "referral"];
    public static readonly IReadOnlyList<string> UtmCampaigns = ["autumn_sale", "launch-2026", "Retargeting", "weekly"];
    public static readonly IReadOnlyList<string> UtmContents = ["banner", "textlink", "Hero-Image"];
    public static readonly IReadOnlyList<string> UtmTerms = ["web analytics", "privacy", "plausible alternative"];

    public static readonly IReadOnlyList<(string Browser, string[] Versions)> Browsers =
    [
        ("Chrome", ["119.0", "120.0", "121.0"]), ("Chrome", ["120.0"]), ("Firefox", ["118.0", "119.0"]), ("Safari", ["17.1", "16.6"]),
        ("Microsoft Edge", ["120.0"]), ("Samsung Browser", ["23.0"]),
    ];

    public static readonly IReadOnlyList<(string Os, string[] Versions, string Device)> Systems =
    [
        ("Windows", ["10", "11"], "Desktop"), ("Windows", ["11"], "Desktop"), ("Mac", ["14.1", "13.6"], "Desktop"), ("iOS", ["17.1", "16.7"], "Mobile"),
        ("Android", ["14", "13"], "Mobile"), ("GNU/Linux", [""], "Desktop"), ("iPadOS", ["17.1"], "Tablet"),
    ];

    public static readonly IReadOnlyList<string?> Screens = ["Desktop", "Desktop", "Laptop", "Mobile", "Tablet", null];

    /// <summary>(country, region, city): region and city only where a city database would have found them.</summary>
    public static readonly IReadOnlyList<(string Country, string? Region, string? City)> Places =
    [
        ("DE", "DE-BE", "2950159"), ("DE", "DE-BY", "2867714"), ("DE", null, null), ("IN", "IN-MH", "1275339"), ("IN", "IN-KA", "1277333"),
        ("US", "US-NY", "5128581"), ("US", "US-CA", null), ("FR", "FR-IDF", "2988507"), ("GB", null, null), ("NL", "NL-NH", "2759794"),
        ("(unknown)", null, null),
    ];

    /// <summary>Custom events: name, whether it counts as an interaction, the props keys it may carry.</summary>
    public static readonly IReadOnlyList<(string Name, bool Interactive)> Goals =
    [
        ("Signup", true), ("Download", true), ("Outbound Link: Click", true), ("Purchase", true), ("Scroll Milestone", false), ("Newsletter", true),
    ];

    public static readonly IReadOnlyList<string> PropKeys = ["plan", "method", "Variant"];

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> PropValues = new Dictionary<string, IReadOnlyList<string>>
    {
        ["plan"] = ["free", "pro", "Enterprise", "pro-annual"],
        ["method"] = ["email", "google", "github"],
        ["Variant"] = ["A", "B", "b"],
    };

    public const string Purchase = "Purchase";

    /// <summary>The price of a euro in dollars: Purchase is a revenue goal in euros, a third of purchases come in dollars.</summary>
    public const decimal EurUsd = 1.25m;
}
