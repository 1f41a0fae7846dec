using Analytics.Gateway.Ingestion;
using Analytics.Gateway.Ingestion.Steps;
using Analytics.Tests.Ingestion;
using Microsoft.Extensions.Options;

namespace Analytics.Tests.Abuse;

public sealed class DropReferrerSpamStepTests
{
    private readonly DropReferrerSpamStep _step = new(Options.Create(new IngestionOptions { ReferrerSpamDomains = ["spam.example", " Junk.Example. "] }));

    [Fact]
    public void Is_named_as_in_the_pipeline() => Assert.Equal("drop_referrer_spam", _step.Name);

    [Theory]
    [InlineData("https://semalt.com/", true)]
    [InlineData("http://www.buttons-for-website.com/path?q=1", true)]
    [InlineData("https://a.b.darodar.com", true)]
    [InlineData("https://SEMALT.COM/", true)]
    [InlineData(" https://semalt.com/ ", true)]
    [InlineData("\u00A0https://semalt.com/", true)] // the source step trims this too: it was counted as "semalt.com"
    [InlineData("https://spam.example/x", true)]
    [InlineData("https://deep.junk.example/", true)]
    [InlineData("https://www.google.com/search?q=semalt.com", false)]
    [InlineData("https://notsemalt.com/", false)]
    [InlineData("https://semalt.com.example.org/", false)]
    [InlineData("android-app://com.google.android.gm/", false)]
    [InlineData("not a url", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public async Task Drops_built_in_and_configured_spam_domains_and_their_subdomains(string? referrer, bool dropped)
    {
        var context = TestContexts.Context(TestContexts.Beacon() with { Referrer = referrer });

        Assert.Equal(dropped ? DropReason.ReferrerSpam : null, await _step.RunAsync(context, CancellationToken.None));
    }

    [Fact]
    public void Its_wire_name_is_referrer_spam() => Assert.Equal("referrer_spam", DropReason.ReferrerSpam.ToWireName());
}
