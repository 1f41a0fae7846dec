using Analytics.Gateway.Api;
using Analytics.Gateway.Export;
using Analytics.Testing;

namespace Analytics.Tests.Privacy;

public sealed class CsvWriterTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\r\nlines", "\"two\r\nlines\"")]
    [InlineData("line\nfeed", "\"line\nfeed\"")]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1+2", "'+1+2")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\r=1", "\"'\r=1\"")]
    [InlineData("a=b", "a=b")]
    [InlineData("/pricing?a=1", "/pricing?a=1")]
    public void Cells_are_quoted_per_RFC_4180_and_never_start_a_formula(string? cell, string expected) =>
        Assert.Equal(expected, CsvWriter.Escape(cell));

    [Fact]
    public async Task Rows_are_comma_separated_and_end_with_CRLF()
    {
        var text = new StringWriter();
        var csv = new CsvWriter(text);
        await csv.WriteRowAsync(["a", null, "b,c"]);
        await csv.WriteRowAsync(["=1"]);
        Assert.Equal("a,,\"b,c\"\r\n'=1\r\n", text.ToString());
    }

    [Fact]
    public void An_event_row_has_one_cell_per_column_and_its_props_as_json()
    {
        var e = TestEvents.Pageview("v1", TestEvents.Noon, "/p") with
        {
            Props = new Dictionary<string, string> { ["plan"] = "pro" },
            RevenueAmount = 9.5m,
            RevenueCurrency = "EUR",
            UtmContent = "hero",
            UtmTerm = "analytics",
            Region = "DE-BE",
            City = "2950159",
        };
        var row = ExportApi.EventRow(e).ToList();
        Assert.Equal(ExportApi.EventColumns.Count, row.Count);
        var cells = ExportApi.EventColumns.Zip(row).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal("2026-03-10T12:00:00.000Z", cells["timestamp"]);
        Assert.Equal("v1", cells["visitor_id"]);
        Assert.Equal("/p", cells["pathname"]);
        Assert.Equal("{\"plan\":\"pro\"}", cells["props"]);
        Assert.Equal("9.5", cells["revenue_amount"]);
        Assert.Null(cells["referrer"]);
        // The columns added later come last, so positions of the older ones hold.
        Assert.Equal(["utm_content", "utm_term", "region", "city"], ExportApi.EventColumns.TakeLast(4));
        Assert.Equal(["hero", "analytics", "DE-BE", "2950159"], row.TakeLast(4));
    }

    [Theory]
    [InlineData("2026-01-01", "2026-01-31", null)]
    [InlineData("2026-01-31", "2026-01-01", "to must not be before from.")]
    [InlineData(null, "2026-01-01", "from and to are required")]
    [InlineData("2026-1-1", "2026-01-02", "from and to are required")]
    [InlineData("1969-12-31", "2026-01-02", "from and to are required")]
    [InlineData("2000-01-01", "2026-01-02", "A range spans at most")]
    public void Export_ranges_are_validated(string? from, string? to, string? error)
    {
        var parsed = ExportApi.ParseRange(from, to);
        if (error is null)
        {
            Assert.Null(parsed.Error);
            Assert.Equal(DateOnly.Parse(from!, System.Globalization.CultureInfo.InvariantCulture), parsed.From);
        }
        else
        {
            Assert.StartsWith(error, parsed.Error, StringComparison.Ordinal);
        }
    }
}
