using Analytics.Gateway.Enrichment;
using Analytics.Gateway.Ingestion.Steps;

namespace Analytics.Tests.Ingestion;

public sealed class PutUserAgentStepTests
{
    private readonly PutUserAgentStep _step = new(new UserAgentParser());

    [Fact]
    public void Is_named_as_in_the_pipeline() => Assert.Equal("put_user_agent", _step.Name);

    [Fact]
    public async Task Puts_the_parsed_agent_and_never_drops()
    {
        var context = TestContexts.Context();

        Assert.Null(await _step.RunAsync(context, CancellationToken.None));

        Assert.Equal(new UserAgentInfo("Chrome", "120.0", "Windows", "10", "Desktop", IsBot: false), context.Agent);
    }

    [Fact]
    public async Task Marks_crawlers_as_bots_without_dropping_them_itself()
    {
        var context = TestContexts.Context(userAgent: TestContexts.GooglebotUserAgent);

        Assert.Null(await _step.RunAsync(context, CancellationToken.None));

        Assert.True(context.Agent!.IsBot);
    }

    [Fact]
    public async Task A_missing_user_agent_counts_as_a_bot()
    {
        var context = TestContexts.Context(userAgent: "");

        await _step.RunAsync(context, CancellationToken.None);

        Assert.True(context.Agent!.IsBot);
    }
}
