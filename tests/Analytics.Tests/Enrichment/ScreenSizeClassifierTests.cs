using Analytics.Gateway.Enrichment;

namespace Analytics.Tests.Enrichment;

public sealed class ScreenSizeClassifierTests
{
    [Theory]
    [InlineData(1, "Mobile")]
    [InlineData(375, "Mobile")]
    [InlineData(575, "Mobile")]
    [InlineData(576, "Tablet")]
    [InlineData(991, "Tablet")]
    [InlineData(992, "Laptop")]
    [InlineData(1439, "Laptop")]
    [InlineData(1440, "Desktop")]
    [InlineData(3840, "Desktop")]
    public void Classifies_by_plausible_breakpoints(int width, string expected)
    {
        Assert.Equal(expected, ScreenSizeClassifier.Classify(width));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(-320)]
    public void Returns_null_without_a_usable_width(int? width)
    {
        Assert.Null(ScreenSizeClassifier.Classify(width));
    }
}
