using System.Text;
using Analytics.Gateway.Api;

namespace Analytics.Tests.Security;

public sealed class JsonUnicodeCheckTests
{
    [Theory]
    // A lone surrogate escape, in a value and in a name.
    [InlineData("""{"n":"pageview","u":"https://a.test/\ud800"}""")]
    [InlineData("""{"\udc00":"x"}""")]
    // In JSON held in a string (the tracker's props), its backslash escaped as \\ or as \u005c, its u as \u0075.
    [InlineData("""{"p":"{\"plan\":\"\\ud800\"}"}""")]
    [InlineData("""{"p":"{\"plan\":\"\u005cud800\"}"}""")]
    [InlineData("""{"p":"{\"plan\":\"\\\u0075d800\"}"}""")]
    public void A_surrogate_escape_that_decodes_to_no_character_is_found(string body) =>
        Assert.True(JsonUnicodeCheck.HasInvalidString(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("""{"n":"pageview","u":"https://a.test/\ud800"}""", true)]
    [InlineData("""{"n":"pageview","u":"https://a.test/\ud83d\ude00"}""", false)]
    public void A_byte_order_mark_is_read_past_as_the_frameworks_json_binding_reads_past_it(string body, bool invalid) =>
        Assert.Equal(invalid, JsonUnicodeCheck.HasInvalidString([.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(body)]));

    [Theory]
    [InlineData("application/json; charset=utf-16", "utf-16")]
    [InlineData("application/json; charset=UTF-16", "utf-16")]
    [InlineData("text/plain; charset=utf-16BE", "utf-16BE")]
    [InlineData("application/json; charset=utf-32", "utf-32")]
    [InlineData("application/json; charset=utf-8", "utf-8")]
    [InlineData("application/json; charset=iso-8859-1", "iso-8859-1")]
    [InlineData("application/json", "utf-8")]
    [InlineData(null, "utf-8")]
    public void A_body_is_read_in_the_charset_its_content_type_names(string? contentType, string encoding)
    {
        const string json = """{"name":"café \ud800"}""";
        var body = Encoding.GetEncoding(encoding).GetBytes(json);
        Assert.True(JsonUnicodeCheck.TryAsUtf8(body, contentType, out var utf8));
        Assert.Equal(json, Encoding.UTF8.GetString(utf8));
        Assert.True(JsonUnicodeCheck.HasInvalidString(utf8));
    }

    [Fact]
    public void A_utf16_body_with_its_byte_order_mark_and_an_empty_one_are_read()
    {
        Assert.True(JsonUnicodeCheck.TryAsUtf8([.. Encoding.Unicode.Preamble, .. Encoding.Unicode.GetBytes("""{"a":"\udc00"}""")], "application/json; charset=utf-16", out var utf8));
        Assert.True(JsonUnicodeCheck.HasInvalidString(utf8));
        Assert.True(JsonUnicodeCheck.TryAsUtf8([], "application/json; charset=utf-16", out var empty));
        Assert.True(empty.IsEmpty);
    }

    [Theory]
    [InlineData("application/json; charset=bogus")]
    [InlineData("application/json; charset=\"utf-16\"")]
    [InlineData("text/plain; charset=utf-7")]
    public void A_charset_no_reader_here_knows_is_refused(string contentType) =>
        Assert.False(JsonUnicodeCheck.TryAsUtf8("{}"u8, contentType, out _));

    [Theory]
    [InlineData("""{"n":"pageview","u":"https://a.test/","d":"a.test","r":null,"w":1280}""")]
    // A pair is a character; other escapes are no surrogates.
    [InlineData("""{"n":"pageview","u":"https://a.test/\ud83d\ude00","p":"{\"plan\":\"\\u00e9\"}"}""")]
    [InlineData("""{"n":"pageview","u":"https://a.test/é😀","p":"{\"a\\\\u\":\"\\\\ud800\"}"}""")]
    public void A_body_without_one_passes(string body) =>
        Assert.False(JsonUnicodeCheck.HasInvalidString(Encoding.UTF8.GetBytes(body)));
}
