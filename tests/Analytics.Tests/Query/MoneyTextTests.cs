using Analytics.Gateway.Query;

namespace Analytics.Tests.Query;

/// <summary>Revenue text as Plausible's own API tests show it.</summary>
public sealed class MoneyTextTests
{
    [Theory]
    [InlineData(500_200_700.246, "EUR", "€500.2M", "€500,200,700.25")]
    [InlineData(166_733_566.748, "EUR", "€166.7M", "€166,733,566.75")]
    [InlineData(112, "EUR", "€112.0", "€112.00")]
    [InlineData(10, "EUR", "€10.0", "€10.00")]
    [InlineData(1_234.5, "USD", "$1.2K", "$1,234.50")]
    [InlineData(1_234, "JPY", "¥1.2K", "¥1,234")]
    [InlineData(5, "CHF", "CHF\u00A05.0", "CHF\u00A05.00")]
    [InlineData(-3.5, "GBP", "-£3.5", "-£3.50")]
    public void Short_and_long(double value, string currency, string expectedShort, string expectedLong)
    {
        var text = MoneyText.Of(value, currency);

        Assert.Equal((expectedShort, expectedLong, value, currency), (text.Short, text.Long, text.Value, text.Currency));
    }
}
