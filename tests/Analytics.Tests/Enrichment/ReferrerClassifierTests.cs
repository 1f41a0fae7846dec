using Analytics.Gateway.Enrichment;

namespace Analytics.Tests.Enrichment;

public sealed class ReferrerClassifierTests
{
    private const string Own = "example.com";

    private readonly ReferrerClassifier _classifier = new();

    [Theory]
    [InlineData("https://www.google.com/", "Google")]
    [InlineData("https://www.google.co.uk/", "Google")]
    [InlineData("https://google.de/search?q=x", "Google")]
    [InlineData("https://www.google.com.au/", "Google")]
    [InlineData("https://mail.google.com/mail/u/0/", "Gmail")]
    [InlineData("https://www.bing.com/search?q=analytics", "Bing")]
    [InlineData("https://duckduckgo.com/", "DuckDuckGo")]
    [InlineData("https://search.yahoo.com/search?p=x", "Yahoo")]
    [InlineData("https://uk.search.yahoo.com/", "Yahoo")]
    [InlineData("https://yandex.ru/search/?text=x", "Yandex")]
    [InlineData("https://www.baidu.com/link?url=abc", "Baidu")]
    [InlineData("https://www.ecosia.org/search?q=x", "Ecosia")]
    [InlineData("https://search.brave.com/search?q=x", "Brave Search")]
    [InlineData("https://www.facebook.com/", "Facebook")]
    [InlineData("https://m.facebook.com/", "Facebook")]
    [InlineData("https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.com", "Facebook")]
    [InlineData("https://lm.facebook.com/", "Facebook")]
    [InlineData("https://l.instagram.com/", "Instagram")]
    [InlineData("https://twitter.com/someone/status/1", "Twitter")]
    [InlineData("https://t.co/abc123", "Twitter")]
    [InlineData("https://x.com/", "Twitter")]
    [InlineData("https://www.linkedin.com/feed/", "LinkedIn")]
    [InlineData("https://lnkd.in/abc", "LinkedIn")]
    [InlineData("https://old.reddit.com/r/dotnet/", "Reddit")]
    [InlineData("https://m.youtube.com/watch?v=1", "YouTube")]
    [InlineData("https://www.pinterest.co.uk/", "Pinterest")]
    [InlineData("https://github.com/owner/repo", "GitHub")]
    [InlineData("https://news.ycombinator.com/item?id=1", "Hacker News")]
    [InlineData("https://www.producthunt.com/posts/x", "Product Hunt")]
    [InlineData("https://en.wikipedia.org/wiki/Web_analytics", "Wikipedia")]
    [InlineData("https://www.tiktok.com/", "TikTok")]
    [InlineData("https://chatgpt.com/", "ChatGPT")]
    [InlineData("https://chat.openai.com/", "ChatGPT")]
    [InlineData("https://www.perplexity.ai/", "Perplexity")]
    [InlineData("https://outlook.live.com/mail/0/", "Outlook")]
    public void Maps_known_referrer_hosts_to_friendly_names(string referrer, string expected)
    {
        Assert.Equal(expected, _classifier.ClassifySource(referrer, Own, utmSource: null));
    }

    [Theory]
    [InlineData("https://blog.example.org/post/1", "blog.example.org")]
    [InlineData("https://www.some-blog.net/", "some-blog.net")]
    [InlineData("http://Partner.Example.NET:8080/x", "partner.example.net")]
    // Look-alikes must not borrow a brand's name.
    [InlineData("https://google.evil-site.com/", "google.evil-site.com")]
    [InlineData("https://notfacebook.com/", "notfacebook.com")]
    public void Falls_back_to_the_referrer_host_without_www(string referrer, string expected)
    {
        Assert.Equal(expected, _classifier.ClassifySource(referrer, Own, utmSource: null));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not a url")]
    [InlineData("google.com")]
    [InlineData("/relative/path")]
    [InlineData("javascript:alert(1)")]
    [InlineData("android-app://com.google.android.gm/")]
    [InlineData("https://")]
    [InlineData("https://example.com/pricing")]
    [InlineData("https://www.example.com/")]
    [InlineData("https://EXAMPLE.com./")]
    public void Reports_direct_for_missing_garbage_and_own_site_referrers(string? referrer)
    {
        Assert.Equal(ReferrerClassifier.Direct, _classifier.ClassifySource(referrer, Own, utmSource: null));
    }

    [Fact]
    public void Treats_www_on_the_own_hostname_as_the_same_site()
    {
        Assert.Equal(ReferrerClassifier.Direct, _classifier.ClassifySource("https://example.com/", "www.example.com", null));
    }

    [Fact]
    public void Counts_own_subdomains_as_referrals()
    {
        Assert.Equal("app.example.com", _classifier.ClassifySource("https://app.example.com/", Own, null));
    }

    [Theory]
    [InlineData("fb", "Facebook")]
    [InlineData("FB", "Facebook")]
    [InlineData("ig", "Instagram")]
    [InlineData("google", "Google")]
    [InlineData(" linkedin ", "LinkedIn")]
    [InlineData("chatgpt.com", "ChatGPT")]
    [InlineData("newsletter", "newsletter")]
    [InlineData("  Spring Sale 2024 ", "Spring Sale 2024")]
    public void Prefers_utm_source_over_the_referrer(string utmSource, string expected)
    {
        Assert.Equal(expected, _classifier.ClassifySource("https://www.bing.com/", Own, utmSource));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Ignores_blank_utm_source(string utmSource)
    {
        Assert.Equal("Bing", _classifier.ClassifySource("https://www.bing.com/", Own, utmSource));
    }

    [Fact]
    public void Uses_utm_source_even_without_a_referrer()
    {
        Assert.Equal("Facebook", _classifier.ClassifySource((string?)null, Own, "fb"));
    }

    [Theory]
    [InlineData("https://www.google.com/", "google.com")]
    [InlineData("https://blog.example.org/posts/analytics/?utm_source=x#top", "blog.example.org/posts/analytics")]
    [InlineData("http://news.ycombinator.com/item?id=1", "news.ycombinator.com/item")]
    [InlineData("https://Blog.Example.org/caf%C3%A9", "blog.example.org/café")]
    [InlineData("https://www.reddit.com/r/dotnet", "reddit.com/r/dotnet")]
    public void Cleans_the_referrer_for_stats(string referrer, string expected)
    {
        Assert.Equal(expected, _classifier.ReferrerForStats(referrer, Own));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("ftp://files.example.org/x")]
    [InlineData("https://example.com/page")]
    [InlineData("https://www.example.com/page")]
    public void Has_no_stats_referrer_for_direct_own_or_unparsable(string? referrer)
    {
        Assert.Null(_classifier.ReferrerForStats(referrer, Own));
    }

    [Fact]
    public void Keeps_every_referrer_when_the_own_hostname_is_unknown()
    {
        Assert.Equal("example.com/page", _classifier.ReferrerForStats("https://example.com/page", ownHostname: null));
    }
}
