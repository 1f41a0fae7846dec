using Analytics.Gateway.Tracker;
using Xunit.Abstractions;

namespace Analytics.Browser.Tests;

public sealed class TrackerSizeTests(ITestOutputHelper output)
{
    [Fact]
    public void MinifiedAndGzippedTrackerIsUnderBudget()
    {
        var script = TrackerScript.ForFile("script.js")!;
        output.WriteLine($"script.js: minified {script.Bytes.Length} B, minified+gzip {script.Gzipped.Length} B");

        Assert.DoesNotContain("\n  ", script.Minified, StringComparison.Ordinal);
        Assert.True(script.Gzipped.Length < 1536, $"tracker is {script.Gzipped.Length} bytes gzipped; the budget is 1536");
    }

    [Theory]
    [InlineData("script.exclusions.js")]
    [InlineData("script.pageview-props.js")]
    [InlineData("script.tagged-events.js")]
    [InlineData("script.form-submissions.js")]
    [InlineData("script.exclusions.pageview-props.tagged-events.form-submissions.js")]
    public void VariantsAddOnlyTheirPart(string file)
    {
        var plain = TrackerScript.ForFile("script.js")!;
        var variant = TrackerScript.ForFile(file)!;
        output.WriteLine($"{file}: minified+gzip {variant.Gzipped.Length} B (+{variant.Gzipped.Length - plain.Gzipped.Length})");

        Assert.True(variant.Bytes.Length > plain.Bytes.Length, "the variant carries nothing more than script.js");
        Assert.True(variant.Gzipped.Length < 2560, $"{file} is {variant.Gzipped.Length} bytes gzipped");
    }
}
