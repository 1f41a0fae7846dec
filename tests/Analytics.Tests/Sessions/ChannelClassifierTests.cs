using Analytics.Grains.Sessions;

namespace Analytics.Tests.Sessions;

/// <summary>Plausible's acquisition channel rules, one case per rule and the precedence between them.</summary>
public sealed class ChannelClassifierTests
{
    [Theory]
    [InlineData("Direct / None", null, null, null, "Direct")]
    [InlineData("example.org", null, null, null, "Referral")]
    [InlineData("Direct / None", null, "link", null, "Referral")]
    [InlineData("Google", null, null, null, "Organic Search")]
    [InlineData("DuckDuckGo", null, null, null, "Organic Search")]
    [InlineData("Google", "google", "cpc", null, "Paid Search")]
    [InlineData("Bing", "adwords", null, null, "Paid Search")]
    [InlineData("Facebook", null, null, null, "Organic Social")]
    [InlineData("Facebook", "fb", "paid_social", null, "Paid Social")]
    [InlineData("newsletter.example", null, "social", null, "Organic Social")]
    [InlineData("YouTube", null, null, null, "Organic Video")]
    [InlineData("YouTube", null, "cpv", null, "Paid Video")]
    [InlineData("example.org", null, "video", null, "Organic Video")]
    [InlineData("Amazon", null, null, null, "Organic Shopping")]
    [InlineData("example.org", null, "cpc", "summer-shop", "Paid Shopping")]
    [InlineData("example.org", null, null, "eshop", "Organic Shopping")]
    [InlineData("example.org", null, null, "workshop", "Referral")]
    [InlineData("example.org", null, null, "big cross-network push", "Cross-network")]
    [InlineData("example.org", null, "banner", null, "Display")]
    [InlineData("example.org", null, "ppc", null, "Paid Other")]
    [InlineData("ChatGPT", null, null, null, "AI Assistants")]
    [InlineData("Perplexity", null, null, null, "AI Assistants")]
    [InlineData("Gmail", null, null, null, "Email")]
    [InlineData("Direct / None", "Newsletter", null, null, "Email")]
    [InlineData("example.org", null, "e-mail", null, "Email")]
    [InlineData("example.org", null, "affiliate", null, "Affiliates")]
    [InlineData("example.org", null, "audio", null, "Audio")]
    [InlineData("Direct / None", "sms", null, null, "SMS")]
    [InlineData("example.org", null, "web-push", null, "Mobile Push Notifications")]
    [InlineData("firebase", null, null, null, "Mobile Push Notifications")]
    public void Classifies_by_plausibles_rules(string source, string? utmSource, string? utmMedium, string? utmCampaign, string expected) =>
        Assert.Equal(expected, ChannelClassifier.Classify(source, utmSource, utmMedium, utmCampaign));

    [Fact]
    public void Sources_and_tags_are_compared_without_case() =>
        Assert.Equal("Paid Search", ChannelClassifier.Classify("GOOGLE", null, "CPC", null));
}
