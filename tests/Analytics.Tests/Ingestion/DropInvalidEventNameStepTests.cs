using Analytics.Gateway.Ingestion;
using Analytics.Gateway.Ingestion.Steps;
using Microsoft.Extensions.Options;

namespace Analytics.Tests.Ingestion;

public sealed class DropInvalidEventNameStepTests
{
    private static async Task<DropReason?> Run(string name, int maxLength = 120) =>
        await new DropInvalidEventNameStep(Options.Create(new IngestionOptions { MaxEventNameLength = maxLength }))
            .RunAsync(TestContexts.Context(TestContexts.Beacon(name)), CancellationToken.None);

    [Fact]
    public void Is_named_as_in_the_pipeline() =>
        Assert.Equal("drop_invalid_event_name", new DropInvalidEventNameStep(Options.Create(new IngestionOptions())).Name);

    [Theory]
    [InlineData("pageview")]
    [InlineData("engagement")]
    [InlineData("Signup: Pro plan (annual)")]
    [InlineData("Téléchargement 📄")]
    public async Task Keeps_ordinary_names(string name) => Assert.Null(await Run(name));

    [Theory]
    [InlineData(" ")]
    [InlineData("\t  ")]
    [InlineData("click\nsignup")]
    [InlineData("a\u0000b")]
    [InlineData("bell\u0007")]
    public async Task Drops_blank_names_and_names_with_control_characters(string name) =>
        Assert.Equal(DropReason.InvalidEventName, await Run(name));

    [Fact]
    public async Task The_length_limit_is_inclusive()
    {
        Assert.Null(await Run(new string('a', 10), maxLength: 10));
        Assert.Equal(DropReason.InvalidEventName, await Run(new string('a', 11), maxLength: 10));
    }

    [Fact]
    public async Task The_default_limit_is_120_characters()
    {
        Assert.Null(await Run(new string('x', 120)));
        Assert.Equal(DropReason.InvalidEventName, await Run(new string('x', 121)));
    }
}
