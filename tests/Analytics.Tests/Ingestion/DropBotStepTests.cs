using Analytics.Gateway.Enrichment;
using Analytics.Gateway.Ingestion;
using Analytics.Gateway.Ingestion.Steps;

namespace Analytics.Tests.Ingestion;

public sealed class DropBotStepTests
{
    private readonly DropBotStep _step = new();

    [Fact]
    public void Is_named_as_in_the_pipeline() => Assert.Equal("drop_bot", _step.Name);

    [Theory]
    [InlineData(TestContexts.GooglebotUserAgent, DropReason.Bot)]
    [InlineData("curl/8.4.0", DropReason.Bot)]
    [InlineData(TestContexts.ChromeUserAgent, null)]
    public async Task Drops_what_the_user_agent_parser_calls_a_bot(string userAgent, DropReason? expected)
    {
        var context = TestContexts.Context(userAgent: userAgent);
        context.Agent = new UserAgentParser().Parse(userAgent);

        Assert.Equal(expected, await _step.RunAsync(context, CancellationToken.None));
    }

    [Fact]
    public async Task Does_not_drop_before_the_agent_is_known()
    {
        var context = TestContexts.Context(userAgent: TestContexts.GooglebotUserAgent);

        Assert.Null(await _step.RunAsync(context, CancellationToken.None));
    }
}
