using Xunit.Abstractions;

namespace Analytics.Browser.Tests;

public sealed class TrackerSizeTests(ITestOutputHelper output)
{
    [Fact]
    public void MinifiedAndGzippedTrackerIsUnderBudget()
    {
        var gzipped = TrackerScript.GzippedSize(TrackerScript.Minified);
        output.WriteLine($"tracker/script.js: source {TrackerScript.Source.Length} B, minified {TrackerScript.Minified.Length} B, minified+gzip {gzipped} B");

        Assert.True(TrackerScript.Minified.Length < TrackerScript.Source.Length, "minification shrank nothing");
        Assert.True(gzipped < 1536, $"tracker is {gzipped} bytes gzipped; the budget is 1536");
    }
}
