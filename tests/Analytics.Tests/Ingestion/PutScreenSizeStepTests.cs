using Analytics.Gateway.Ingestion.Steps;

namespace Analytics.Tests.Ingestion;

public sealed class PutScreenSizeStepTests
{
    private readonly PutScreenSizeStep _step = new();

    [Fact]
    public void Is_named_as_in_the_pipeline() => Assert.Equal("put_screen_size", _step.Name);

    [Theory]
    [InlineData(375, "Mobile")]
    [InlineData(575, "Mobile")]
    [InlineData(576, "Tablet")]
    [InlineData(991, "Tablet")]
    [InlineData(992, "Laptop")]
    [InlineData(1439, "Laptop")]
    [InlineData(1440, "Desktop")]
    [InlineData(3840, "Desktop")]
    [InlineData(0, null)]
    [InlineData(-5, null)]
    [InlineData(null, null)]
    public async Task Classifies_the_reported_width(int? width, string? expected)
    {
        var context = TestContexts.Context(TestContexts.Beacon() with { ScreenWidth = width });
        context.ScreenSize = "stale";

        Assert.Null(await _step.RunAsync(context, CancellationToken.None));

        Assert.Equal(expected, context.ScreenSize);
    }
}
