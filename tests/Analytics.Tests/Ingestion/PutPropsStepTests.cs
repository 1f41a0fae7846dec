using Analytics.Gateway.Ingestion;
using Analytics.Gateway.Ingestion.Steps;
using Microsoft.Extensions.Options;

namespace Analytics.Tests.Ingestion;

public sealed class PutPropsStepTests
{
    private static async Task<IReadOnlyDictionary<string, string>> Run(Dictionary<string, string> props, IngestionOptions? options = null)
    {
        var context = TestContexts.Context(TestContexts.Beacon() with { Props = props });
        Assert.Null(await new PutPropsStep(Options.Create(options ?? new IngestionOptions())).RunAsync(context, CancellationToken.None));
        return context.Props;
    }

    [Fact]
    public void Is_named_as_in_the_pipeline() => Assert.Equal("put_props", new PutPropsStep(Options.Create(new IngestionOptions())).Name);

    [Fact]
    public async Task Props_within_limits_pass_unchanged()
    {
        var props = new Dictionary<string, string> { ["plan"] = "pro", ["seats"] = "5" };

        Assert.Equal(props, await Run(props));
    }

    [Fact]
    public async Task Keeps_at_most_MaxProps_props()
    {
        var props = Enumerable.Range(0, 40).ToDictionary(i => $"k{i}", i => $"v{i}");

        var kept = await Run(props);

        Assert.Equal(30, kept.Count);
        Assert.All(kept, p => Assert.Equal(props[p.Key], p.Value));
    }

    [Fact]
    public async Task Zero_MaxProps_keeps_none()
    {
        Assert.Empty(await Run(new() { ["a"] = "b" }, new IngestionOptions { MaxProps = 0 }));
    }

    [Fact]
    public async Task Over_long_keys_are_left_out_and_do_not_use_up_the_budget()
    {
        var options = new IngestionOptions { MaxProps = 2, MaxPropKeyLength = 5 };
        var props = new Dictionary<string, string> { ["toolong"] = "x", ["a"] = "1", ["12345"] = "2", ["c"] = "3" };

        var kept = await Run(props, options);

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["12345"] = "2" }, kept);
    }

    [Fact]
    public async Task Over_long_values_are_cut_to_the_limit()
    {
        var options = new IngestionOptions { MaxPropValueLength = 4 };

        var kept = await Run(new() { ["exact"] = "abcd", ["long"] = "abcdefgh" }, options);

        Assert.Equal("abcd", kept["exact"]);
        Assert.Equal("abcd", kept["long"]);
    }
}
