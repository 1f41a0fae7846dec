using Analytics.Gateway.Enrichment;

namespace Analytics.Tests.Enrichment;

public sealed class UrlParserTests
{
    [Theory]
    [InlineData("https://example.com", "example.com", "/")]
    [InlineData("https://example.com/", "example.com", "/")]
    [InlineData("https://www.Example.COM/Pricing", "example.com", "/Pricing")]
    [InlineData("http://blog.example.com/posts/", "blog.example.com", "/posts/")]
    [InlineData("https://example.com:8443/a/b?x=1#section", "example.com", "/a/b")]
    [InlineData("https://example.com/caf%C3%A9", "example.com", "/café")]
    [InlineData("https://example.com/café/日本", "example.com", "/café/日本")]
    [InlineData("https://example.com/a%20b", "example.com", "/a b")]
    [InlineData("https://example.com/bad%FFbyte", "example.com", "/bad%FFbyte")]
    [InlineData("https://example.com/#/settings", "example.com", "/")]
    [InlineData("https://user:pw@example.com/x", "example.com", "/x")]
    public void Extracts_hostname_and_path(string url, string hostname, string pathname)
    {
        Assert.True(UrlParser.TryParse(url, out var parsed));
        Assert.Equal(hostname, parsed.Hostname);
        Assert.Equal(pathname, parsed.Pathname);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("/relative/path")]
    [InlineData("example.com/path")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<h1>x</h1>")]
    [InlineData("ftp://example.com/file")]
    [InlineData("file:///etc/passwd")]
    [InlineData("chrome-extension://abcdef/page.html")]
    [InlineData("https://")]
    [InlineData("http:///path-only")]
    [InlineData("not a url at all")]
    public void Rejects_anything_but_absolute_http_urls(string? url)
    {
        Assert.False(UrlParser.TryParse(url, out _));
    }

    [Fact]
    public void Rejects_urls_longer_than_the_limit()
    {
        var prefix = "https://example.com/";
        var atLimit = prefix + new string('a', UrlParser.MaxUrlLength - prefix.Length);

        Assert.True(UrlParser.TryParse(atLimit, out _));
        Assert.False(UrlParser.TryParse(atLimit + "a", out _));
    }

    [Fact]
    public void Extracts_all_utm_parameters_decoded()
    {
        const string url = "https://example.com/landing?utm_source=news%20letter&utm_medium=email"
            + "&utm_campaign=spring+sale&utm_content=caf%C3%A9&utm_term=%20analytics%20";

        Assert.True(UrlParser.TryParse(url, out var parsed));
        Assert.Equal(
            new ParsedUrl("example.com", "/landing", "news letter", "email", "spring sale", "café", "analytics"),
            parsed);
    }

    [Theory]
    [InlineData("https://example.com/?utm_source=", null)]
    [InlineData("https://example.com/?utm_source=%20%20", null)]
    [InlineData("https://example.com/?UTM_SOURCE=fb", null)]
    [InlineData("https://example.com/?utm_source", null)]
    [InlineData("https://example.com/?ref=producthunt", "producthunt")]
    [InlineData("https://example.com/?ref=x&utm_source=fb", "fb")]
    [InlineData("https://example.com/?utm_source=&utm_source=second", "second")]
    [InlineData("https://example.com/#?utm_source=fb", null)]
    public void Reads_utm_source_case_sensitively_with_ref_fallback(string url, string? expected)
    {
        Assert.True(UrlParser.TryParse(url, out var parsed));
        Assert.Equal(expected, parsed.UtmSource);
    }

    [Theory]
    [InlineData("https://example.com/#/settings", "/#/settings")]
    [InlineData("https://example.com/app#/users/42", "/app#/users/42")]
    [InlineData("https://example.com/app#/search?q=secret", "/app#/search")]
    [InlineData("https://example.com/app#", "/app")]
    [InlineData("https://example.com/app", "/app")]
    [InlineData("https://example.com/#/caf%C3%A9", "/#/café")]
    public void Appends_the_fragment_in_hash_mode(string url, string pathname)
    {
        Assert.True(UrlParser.TryParse(url, hashMode: true, out var parsed));
        Assert.Equal(pathname, parsed.Pathname);
    }
}
