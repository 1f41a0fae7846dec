using Analytics.GrainInterfaces.Metrics;

namespace Analytics.Tests.Query;

public sealed class BucketKeyTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");

    private static DateTime Utc(int year, int month, int day, int hour, int minute, int second = 0) =>
        new(year, month, day, hour, minute, second, DateTimeKind.Utc);

    [Fact]
    public void Minute_keys_truncate_to_the_utc_minute()
    {
        var key = BucketKey.Minute("example.com", Utc(2026, 11, 23, 18, 5, 59).AddTicks(9_999_999));

        Assert.Equal("example.com|m|2026-11-23T18:05", key.ToString());
        Assert.Equal(Granularity.Minute, key.Granularity);
        Assert.Equal(Utc(2026, 11, 23, 18, 5), key.Start);
        Assert.Equal(DateTimeKind.Utc, key.Start.Kind);
    }

    [Fact]
    public void Hour_keys_truncate_to_the_utc_hour()
    {
        var key = BucketKey.Hour("example.com", Utc(2026, 11, 23, 18, 59, 59));

        Assert.Equal("example.com|h|2026-11-23T18", key.ToString());
        Assert.Equal(Utc(2026, 11, 23, 18, 0), key.Start);
    }

    [Fact]
    public void Day_keys_are_local_dates()
    {
        var key = BucketKey.Day("example.com", new DateOnly(2026, 11, 23));

        Assert.Equal("example.com|d|2026-11-23", key.ToString());
        Assert.Equal(new DateOnly(2026, 11, 23), key.LocalDay);
        Assert.Equal(DateTimeKind.Unspecified, key.Start.Kind);
    }

    public static TheoryData<BucketKey> Keys() => new()
    {
        BucketKey.Minute("example.com", Utc(2024, 2, 29, 23, 59)),
        BucketKey.Minute("shop.example.co.uk", Utc(2026, 1, 1, 0, 0)),
        BucketKey.Hour("example.com", Utc(2024, 3, 31, 1, 0)),
        BucketKey.Hour("xn--bcher-kva.example", Utc(1999, 12, 31, 23, 0)),
        BucketKey.Day("example.com", new DateOnly(2024, 10, 27)),
        BucketKey.Day("localhost", new DateOnly(9999, 12, 31)),
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void ToString_and_Parse_round_trip(BucketKey key)
    {
        var parsed = BucketKey.Parse(key.ToString());

        Assert.Equal(key, parsed);
        Assert.Equal(key.Start.Kind, parsed.Start.Kind);
        Assert.Equal(key.ToString(), parsed.ToString());
    }

    [Theory]
    [InlineData("example.com|m|2026-11-23T18:05", Granularity.Minute, "2026-11-23T18:05:00Z")]
    [InlineData("example.com|h|2026-11-23T18", Granularity.Hour, "2026-11-23T18:00:00Z")]
    public void Parsed_minute_and_hour_starts_are_utc(string text, Granularity granularity, string start)
    {
        var key = BucketKey.Parse(text);

        Assert.Equal(granularity, key.Granularity);
        Assert.Equal(DateTimeKind.Utc, key.Start.Kind);
        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime, key.Start);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("example.com|d")]
    [InlineData("a|b|d|2026-11-23")]
    [InlineData("example.com|w|2026-11-23")]
    [InlineData("example.com|d|2026-11-23T00")]
    [InlineData("example.com|h|2026-11-23")]
    [InlineData("example.com|m|2026-11-23T18")]
    [InlineData("example.com|d|2026-02-30")]
    [InlineData("example.com|d|23.11.2026")]
    public void Malformed_keys_are_rejected(string text) =>
        Assert.Throws<FormatException>(() => BucketKey.Parse(text));

    [Theory]
    [InlineData(2024, 1, 15, 22, 59, "2024-01-15")]
    [InlineData(2024, 1, 15, 23, 0, "2024-01-16")]
    [InlineData(2024, 7, 15, 21, 59, "2024-07-15")]
    [InlineData(2024, 7, 15, 22, 0, "2024-07-16")]
    [InlineData(2024, 3, 31, 0, 59, "2024-03-31")]
    [InlineData(2024, 3, 31, 1, 0, "2024-03-31")]
    [InlineData(2024, 3, 31, 21, 59, "2024-03-31")]
    [InlineData(2024, 3, 31, 22, 0, "2024-04-01")]
    [InlineData(2024, 10, 26, 21, 59, "2024-10-26")]
    [InlineData(2024, 10, 26, 22, 0, "2024-10-27")]
    [InlineData(2024, 10, 27, 0, 30, "2024-10-27")]
    [InlineData(2024, 10, 27, 1, 30, "2024-10-27")]
    [InlineData(2024, 10, 27, 22, 59, "2024-10-27")]
    [InlineData(2024, 10, 27, 23, 0, "2024-10-28")]
    public void Day_picks_the_local_day_in_berlin_around_midnight_and_dst(int year, int month, int day, int hour, int minute, string expected)
    {
        var key = BucketKey.Day("example.com", Utc(year, month, day, hour, minute), Berlin);

        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), key.LocalDay);
        Assert.Equal($"example.com|d|{expected}", key.ToString());
    }

    [Theory]
    [InlineData(2024, 3, 10, 4, 59, "2024-03-09")]
    [InlineData(2024, 3, 10, 5, 0, "2024-03-10")]
    [InlineData(2024, 3, 11, 3, 59, "2024-03-10")]
    [InlineData(2024, 3, 11, 4, 0, "2024-03-11")]
    [InlineData(2024, 11, 3, 3, 59, "2024-11-02")]
    [InlineData(2024, 11, 3, 4, 0, "2024-11-03")]
    [InlineData(2024, 11, 4, 4, 59, "2024-11-03")]
    [InlineData(2024, 11, 4, 5, 0, "2024-11-04")]
    public void Day_picks_the_local_day_in_new_york_across_dst(int year, int month, int day, int hour, int minute, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            BucketKey.Day("example.com", Utc(year, month, day, hour, minute), NewYork).LocalDay);

    [Theory]
    [InlineData(18, 29, "2024-01-15")]
    [InlineData(18, 30, "2024-01-16")]
    public void Day_handles_half_hour_offsets(int hour, int minute, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            BucketKey.Day("example.com", Utc(2024, 1, 15, hour, minute), Kolkata).LocalDay);

    [Fact]
    public void Day_from_utc_equals_day_from_the_local_date()
    {
        Assert.Equal(BucketKey.Day("example.com", new DateOnly(2024, 10, 28)), BucketKey.Day("example.com", Utc(2024, 10, 27, 23, 0), Berlin));
    }
}
