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
    [InlineData("""{"n":"pageview","u":"https://a.test/","d":"a.test","r":null,"w":1280}""")]
    // A pair is a character; other escapes are no surrogates.
    [InlineData("""{"n":"pageview","u":"https://a.test/\ud83d\ude00","p":"{\"plan\":\"\\u00e9\"}"}""")]
    [InlineData("""{"n":"pageview","u":"https://a.test/é😀","p":"{\"a\\\\u\":\"\\\\ud800\"}"}""")]
    public void A_body_without_one_passes(string body) =>
        Assert.False(JsonUnicodeCheck.HasInvalidString(Encoding.UTF8.GetBytes(body)));
}
