using System.Text;
using Analytics.Gateway.Ingestion;

namespace Analytics.Tests.Ingestion;

public sealed class BeaconReaderTests
{
    private static Beacon Read(string json) => BeaconReader.Read(Encoding.UTF8.GetBytes(json));

    private static BeaconFormatException Fails(string json) => Assert.Throws<BeaconFormatException>(() => Read(json));

    [Fact]
    public void Reads_the_full_events_api_form()
    {
        var beacon = Read("""
            {
              "name": "Signup", "url": "https://example.com/pricing?plan=pro", "domain": "example.com",
              "referrer": "https://news.ycombinator.com/", "screen_width": 1280, "hashMode": true,
              "props": {"plan": "pro", "seats": 5, "trial": false},
              "revenue": {"currency": "eur", "amount": 19.99}, "interactive": false,
              "engagement_time": 1500, "visitor_id": "abc_DEF-123456", "v": 36, "sd": 80
            }
            """);

        Assert.Equal("Signup", beacon.Name);
        Assert.Equal("https://example.com/pricing?plan=pro", beacon.Url);
        Assert.Equal("example.com", beacon.Domain);
        Assert.Equal("https://news.ycombinator.com/", beacon.Referrer);
        Assert.Equal(1280, beacon.ScreenWidth);
        Assert.True(beacon.HashMode);
        Assert.Equal(new Dictionary<string, string> { ["plan"] = "pro", ["seats"] = "5", ["trial"] = "false" }, beacon.Props);
        Assert.Equal(19.99m, beacon.RevenueAmount);
        Assert.Equal("EUR", beacon.RevenueCurrency);
        Assert.False(beacon.Interactive);
        Assert.Null(beacon.EngagementMs); // engaged time belongs to engagement events only
        Assert.Equal("abc_DEF-123456", beacon.VisitorId);
    }

    [Fact]
    public void Reads_the_compact_tracker_form_with_json_encoded_props_and_revenue()
    {
        var beacon = Read("""
            {"n":"engagement","u":"https://example.com/app#/settings","d":"example.com","r":null,"w":390,"h":1,
             "p":"{\"theme\":\"dark\",\"n\":2}","$":"{\"currency\":\"USD\",\"amount\":\"12.50\"}","i":false,"e":4200,"vid":"Zx9-aa_bb"}
            """);

        Assert.Equal("engagement", beacon.Name);
        Assert.Equal("https://example.com/app#/settings", beacon.Url);
        Assert.Equal("example.com", beacon.Domain);
        Assert.Null(beacon.Referrer);
        Assert.Equal(390, beacon.ScreenWidth);
        Assert.True(beacon.HashMode);
        Assert.Equal(new Dictionary<string, string> { ["theme"] = "dark", ["n"] = "2" }, beacon.Props);
        Assert.Equal(12.50m, beacon.RevenueAmount);
        Assert.Equal("USD", beacon.RevenueCurrency);
        Assert.False(beacon.Interactive);
        Assert.Equal(4200, beacon.EngagementMs);
        Assert.Equal("Zx9-aa_bb", beacon.VisitorId);
    }

    [Fact]
    public void Compact_props_may_also_be_a_plain_object()
    {
        var beacon = Read("""{"n":"pageview","u":"https://example.com/","d":"example.com","p":{"k":"v"}}""");

        Assert.Equal("v", Assert.Single(beacon.Props).Value);
    }

    [Fact]
    public void Optional_fields_default_when_missing_or_null()
    {
        var beacon = Read("""
            {"name":"pageview","url":"https://example.com/","domain":"example.com",
             "referrer":null,"screen_width":null,"hashMode":null,"props":null,"revenue":null,"interactive":null,"engagement_time":null,"visitor_id":null}
            """);

        Assert.Null(beacon.Referrer);
        Assert.Null(beacon.ScreenWidth);
        Assert.False(beacon.HashMode);
        Assert.Empty(beacon.Props);
        Assert.Null(beacon.RevenueAmount);
        Assert.Null(beacon.RevenueCurrency);
        Assert.Null(beacon.Interactive);
        Assert.Null(beacon.EngagementMs);
        Assert.Null(beacon.VisitorId);
    }

    [Fact]
    public void The_compact_key_wins_when_both_forms_are_sent_as_in_plausible()
    {
        var beacon = Read("""{"name":"full","n":"compact","url":"https://a.example/","u":"https://b.example/","domain":"a.example","d":"b.example"}""");

        Assert.Equal("compact", beacon.Name);
        Assert.Equal("https://b.example/", beacon.Url);
        Assert.Equal("b.example", beacon.Domain);
    }

    [Fact]
    public void A_key_sent_twice_has_its_last_value_and_escaped_key_names_are_read_as_their_characters()
    {
        var beacon = Read("""{"n":"first","\u006e":"pageview","u":"https://example.com/a","\u0075\u0072\u006c":"https://example.com/b","d":"one.test","d":"two.test"}""");

        Assert.Equal("pageview", beacon.Name);
        // The compact key wins over the long one, however each is spelled.
        Assert.Equal("https://example.com/a", beacon.Url);
        Assert.Equal(["two.test"], beacon.Domains);
    }

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        var beacon = Read("""{"n":"pageview","u":"https://example.com/","d":"example.com","x":{"deep":[1,2]},"callback":true}""");

        Assert.Equal("pageview", beacon.Name);
    }

    [Fact]
    public void Nested_null_and_empty_props_are_left_out_but_the_event_stays()
    {
        var beacon = Read("""
            {"n":"pageview","u":"https://example.com/","d":"example.com",
             "p":{"keep":"yes","nested":{"a":1},"list":[1],"nothing":null,"empty":"","":"no-name","num":1.5,"yes":true}}
            """);

        Assert.Equal(new Dictionary<string, string> { ["keep"] = "yes", ["num"] = "1.5", ["yes"] = "true" }, beacon.Props);
    }

    [Theory]
    [InlineData("""{"name":"x","url":"https://example.com/","domain":"example.com","revenue":{"currency":"usd","amount":7}}""", 7)]
    [InlineData("""{"name":"x","url":"https://example.com/","domain":"example.com","revenue":{"currency":"USD","amount":"1e3"}}""", 1000)]
    [InlineData("""{"name":"x","url":"https://example.com/","domain":"example.com","$":{"currency":"USD","amount":0.1}}""", 0.1)]
    public void Revenue_amount_may_be_a_number_or_a_numeric_string(string json, double expected)
    {
        var beacon = Read(json);

        Assert.Equal((decimal)expected, beacon.RevenueAmount);
        Assert.Equal("USD", beacon.RevenueCurrency);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{", "not valid JSON")]
    [InlineData("""{"n":"a","u":"https://e.com/","d":"e.com",}""", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("\"pageview\"", "must be a JSON object")]
    [InlineData("""{"u":"https://e.com/","d":"e.com"}""", "'name' (n) is required")]
    [InlineData("""{"n":"","u":"https://e.com/","d":"e.com"}""", "'name' (n) is required")]
    [InlineData("""{"n":1.5,"u":"https://e.com/","d":"e.com"}""", "'name' (n) must be a string or an integer")]
    [InlineData("""{"n":{"x":1},"u":"https://e.com/","d":"e.com"}""", "'name' (n) must be a string or an integer")]
    [InlineData("""{"n":"a","d":"e.com"}""", "'url' (u) is required")]
    [InlineData("""{"n":"a","u":5,"d":"e.com"}""", "'url' (u) is required")]
    [InlineData("""{"n":"a","u":"/relative"}""", "'domain' (d) is required when the url has no host")]
    [InlineData("""{"n":"a","u":"https://e.com/","d":"  "}""", "'domain' (d) can't be blank")]
    [InlineData("""{"n":"a","u":"https://e.com/","d":" , "}""", "'domain' (d) can't be blank")]
    [InlineData("""{"n":"engagement","u":"https://e.com/","d":"e.com"}""", "at least one of 'sd' or 'e'")]
    [InlineData("""{"n":"engagement","u":"https://e.com/","d":"e.com","e":-1,"sd":"lots"}""", "at least one of 'sd' or 'e'")]
    [InlineData("""{"n":"engagement","u":"https://e.com/","d":"e.com","e":2592000000}""", "at least one of 'sd' or 'e'")]
    public void Bodies_plausible_rejects_are_rejected_with_a_message_naming_the_problem(string json, string expected)
    {
        var error = Fails(json);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plausibles_tracker_version_v_is_not_a_visitor_id_and_never_a_400()
    {
        // As @plausible-analytics/tracker 0.4.6 sends an engagement event.
        var beacon = Read("""{"n":"engagement","sd":42,"d":"e.com","u":"https://e.com/a","p":{"k":"v"},"e":3200,"v":36}""");

        Assert.Null(beacon.VisitorId);
        Assert.Equal(3200, beacon.EngagementMs);
        Assert.Equal(42, beacon.ScrollDepth);
        Assert.Equal("v", Assert.Single(beacon.Props).Value);
    }

    [Theory]
    [InlineData("""{"n":"engagement","u":"https://e.com/","d":"e.com","sd":55}""", 0, 55)]
    [InlineData("""{"n":"engagement","u":"https://e.com/","d":"e.com","e":"1500"}""", 1500, null)]
    [InlineData("""{"n":"engagement","u":"https://e.com/","d":"e.com","e":"soon","sd":"120"}""", 0, 100)]
    public void Engagement_needs_e_or_sd_as_an_integer_or_a_numeric_string(string json, long expectedMs, int? expectedDepth)
    {
        var beacon = Read(json);

        Assert.Equal((expectedMs, expectedDepth), (beacon.EngagementMs, beacon.ScrollDepth));
    }

    [Fact]
    public void A_numeric_event_name_is_read_as_its_digits()
    {
        Assert.Equal("404", Read("""{"n":404,"u":"https://e.com/x","d":"e.com"}""").Name);
    }

    [Fact]
    public void A_comma_separated_domain_names_every_site_once_without_www()
    {
        var beacon = Read("""{"n":"pageview","u":"https://e.com/","d":" www.a.example, b.example ,a.example"}""");

        Assert.Equal(["a.example", "b.example"], beacon.Domains);
        Assert.Equal("a.example", beacon.Domain);
    }

    [Fact]
    public void Without_a_domain_the_site_is_the_urls_host()
    {
        var beacon = Read("""{"n":"pageview","u":"https://www.shop.example/cart","d":7}""");

        Assert.Equal(["shop.example"], beacon.Domains);
    }

    [Theory]
    [InlineData("""{"n":"a","u":"https://e.com/","d":"e.com","r":1,"w":"wide","h":"x","i":"yes","v":{"x":1},"vid":3}""")]
    [InlineData("""{"n":"a","u":"https://e.com/","d":"e.com","p":"{not json","$":"nope"}""")]
    [InlineData("""{"n":"a","u":"https://e.com/","d":"e.com","p":"[1,2]","$":5}""")]
    [InlineData("""{"n":"a","u":"https://e.com/","d":"e.com","p":[1],"$":{"currency":"USD","amount":"lots"}}""")]
    [InlineData("""{"n":"a","u":"https://e.com/","d":"e.com","$":{"currency":"DOLLARS","amount":1}}""")]
    [InlineData("""{"n":"a","u":"https://e.com/","d":"e.com","$":{"amount":1},"meta":"x"}""")]
    public void Odd_optional_fields_are_ignored_as_plausible_ignores_them(string json)
    {
        var beacon = Read(json);

        Assert.Equal("a", beacon.Name);
        Assert.Null(beacon.Referrer);
        Assert.Null(beacon.ScreenWidth);
        Assert.False(beacon.HashMode);
        Assert.Null(beacon.Interactive);
        Assert.Null(beacon.VisitorId);
        Assert.Empty(beacon.Props);
        Assert.Null(beacon.RevenueAmount);
        Assert.Null(beacon.RevenueCurrency);
    }

    [Fact]
    public void Legacy_meta_is_read_as_props_and_wins_over_p()
    {
        var beacon = Read("""{"n":"a","u":"https://e.com/","d":"e.com","m":"{\"old\":\"yes\"}","p":{"new":"no"}}""");

        Assert.Equal(new Dictionary<string, string> { ["old"] = "yes" }, beacon.Props);
    }

    [Fact]
    public void Deeply_nested_json_is_rejected_rather_than_parsed()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 20)) + "1" + new string('}', 20);

        var error = Fails($$"""{"n":"a","u":"https://e.com/","d":"e.com","x":{{deep}}}""");

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }
}
