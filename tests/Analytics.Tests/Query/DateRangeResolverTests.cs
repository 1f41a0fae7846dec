using System.Text.Json;
using Analytics.Gateway.Query;
using Analytics.GrainInterfaces.Metrics;

namespace Analytics.Tests.Query;

public sealed class DateRangeResolverTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");
    private static readonly TimeZoneInfo Havana = TimeZoneInfo.FindSystemTimeZoneById("America/Havana");
    private static readonly DateOnly Today = new(2026, 11, 23);
    private static readonly DateOnly CreatedOn = new(2025, 2, 14);

    private static DateRangeResolver.Resolved Resolve(string rangeJson, TimeZoneInfo? zone = null, bool hourly = false, DateOnly? today = null) =>
        DateRangeResolver.Resolve(JsonDocument.Parse(rangeJson).RootElement, zone ?? Utc, today ?? Today, CreatedOn, hourly);

    private static QueryValidationException Fails(string rangeJson, TimeZoneInfo? zone = null, bool hourly = false) =>
        Assert.Throws<QueryValidationException>(() => Resolve(rangeJson, zone, hourly));

    private static DateTime Day(int year, int month, int day) => new(year, month, day);

    private static DateTime UtcHour(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, DateTimeKind.Utc);

    private static int Buckets(DateRangeResolver.Resolved r) => (int)(r.Last - r.First).TotalHours + 1;

    [Theory]
    [InlineData("day", 2026, 11, 23)]
    [InlineData("7d", 2026, 11, 17)]
    [InlineData("28d", 2026, 10, 27)]
    [InlineData("30d", 2026, 10, 25)]
    [InlineData("91d", 2026, 8, 25)]
    [InlineData("month", 2026, 11, 1)]
    [InlineData("6mo", 2026, 6, 1)]
    [InlineData("12mo", 2025, 12, 1)]
    [InlineData("year", 2026, 1, 1)]
    [InlineData("all", 2025, 2, 14)]
    public void Presets_are_local_days_ending_today(string preset, int year, int month, int day)
    {
        var resolved = Resolve($"\"{preset}\"", Berlin);

        Assert.Equal(new DateRangeResolver.Resolved(Granularity.Day, Day(year, month, day), Day(2026, 11, 23)), resolved);
    }

    [Fact]
    public void Every_documented_preset_resolves()
    {
        Assert.Equal(["day", "7d", "28d", "30d", "91d", "month", "6mo", "12mo", "year", "all"], DateRangeResolver.Presets);
        Assert.All(DateRangeResolver.Presets, p => Assert.Equal(Day(2026, 11, 23), Resolve($"\"{p}\"").Last));
    }

    [Fact]
    public void Presets_cross_year_boundaries()
    {
        var resolved = Resolve("\"6mo\"", today: new DateOnly(2026, 2, 10));

        Assert.Equal(Day(2025, 9, 1), resolved.First);
    }

    [Fact]
    public void All_never_starts_after_today_even_for_a_site_created_in_the_future()
    {
        var resolved = DateRangeResolver.Resolve(JsonDocument.Parse("\"all\"").RootElement, Utc, Today, Today.AddDays(3), hourly: false);

        Assert.Equal(Day(2026, 11, 23), resolved.First);
    }

    [Fact]
    public void Unknown_presets_name_the_supported_ones()
    {
        var error = Fails("\"yesterday\"");

        Assert.Contains("yesterday", error.Message, StringComparison.Ordinal);
        Assert.All(DateRangeResolver.Presets, p => Assert.Contains(p, error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Date_pairs_are_inclusive_local_days()
    {
        Assert.Equal(new DateRangeResolver.Resolved(Granularity.Day, Day(2024, 1, 1), Day(2024, 1, 31)), Resolve("""["2024-01-01","2024-01-31"]""", Berlin));
        Assert.Equal(new DateRangeResolver.Resolved(Granularity.Day, Day(2024, 2, 29), Day(2024, 2, 29)), Resolve("""["2024-02-29","2024-02-29"]"""));
    }

    [Fact]
    public void A_range_that_ends_before_it_starts_is_rejected()
    {
        Assert.Contains("starts after it ends", Fails("""["2024-02-01","2024-01-31"]""").Message, StringComparison.Ordinal);
        Assert.Contains("starts after it ends", Fails("""["2024-02-01T10:00:00Z","2024-02-01T09:00:00Z"]""", hourly: true).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Day_ranges_are_limited_to_MaxDays()
    {
        var from = new DateOnly(2010, 1, 1);
        var fits = $"""["{from:yyyy-MM-dd}","{from.AddDays(DateRangeResolver.MaxDays - 1):yyyy-MM-dd}"]""";
        var tooLong = $"""["{from:yyyy-MM-dd}","{from.AddDays(DateRangeResolver.MaxDays):yyyy-MM-dd}"]""";

        Assert.Equal(Granularity.Day, Resolve(fits).Granularity);
        Assert.Contains($"{DateRangeResolver.MaxDays} days", Fails(tooLong).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""["2024-01-01"]""")]
    [InlineData("""["2024-01-01","2024-01-02","2024-01-03"]""")]
    [InlineData("""["2024-01-01",5]""")]
    [InlineData("""{"from":"2024-01-01"}""")]
    [InlineData("42")]
    [InlineData("null")]
    public void Malformed_ranges_name_the_supported_forms(string range)
    {
        var error = Fails(range);

        Assert.Contains("[from, to]", error.Message, StringComparison.Ordinal);
        Assert.Contains("7d", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""["2024-1-1","2024-01-31"]""")]
    [InlineData("""["01/01/2024","01/31/2024"]""")]
    [InlineData("""["2024-01-01","2024-01-31T10:00:00Z"]""")]
    [InlineData("""["2024-01-31T10:00:00","2024-01-31T12:00:00"]""")]
    [InlineData("""["yesterday","today"]""")]
    public void Unparsable_pairs_say_which_iso_forms_are_accepted(string range)
    {
        var error = Fails(range, hourly: true);

        Assert.Contains("2024-01-31", error.Message, StringComparison.Ordinal);
        Assert.Contains("offset", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hourly_utc_day_has_24_utc_hour_buckets()
    {
        var resolved = Resolve("""["2024-06-10","2024-06-10"]""", hourly: true);

        Assert.Equal(new DateRangeResolver.Resolved(Granularity.Hour, UtcHour(2024, 6, 10, 0), UtcHour(2024, 6, 10, 23)), resolved);
        Assert.Equal(DateTimeKind.Utc, resolved.First.Kind);
    }

    [Fact]
    public void Hourly_berlin_day_starts_at_local_midnight_in_utc()
    {
        Assert.Equal(new DateRangeResolver.Resolved(Granularity.Hour, UtcHour(2024, 1, 14, 23), UtcHour(2024, 1, 15, 22)),
            Resolve("""["2024-01-15","2024-01-15"]""", Berlin, hourly: true));
        Assert.Equal(new DateRangeResolver.Resolved(Granularity.Hour, UtcHour(2024, 7, 14, 22), UtcHour(2024, 7, 15, 21)),
            Resolve("""["2024-07-15","2024-07-15"]""", Berlin, hourly: true));
    }

    [Fact]
    public void Berlin_spring_forward_day_has_23_hours()
    {
        var resolved = Resolve("""["2024-03-31","2024-03-31"]""", Berlin, hourly: true);

        Assert.Equal(UtcHour(2024, 3, 30, 23), resolved.First);
        Assert.Equal(UtcHour(2024, 3, 31, 21), resolved.Last);
        Assert.Equal(23, Buckets(resolved));
    }

    [Fact]
    public void Berlin_fall_back_day_has_25_hours()
    {
        var resolved = Resolve("""["2024-10-27","2024-10-27"]""", Berlin, hourly: true);

        Assert.Equal(UtcHour(2024, 10, 26, 22), resolved.First);
        Assert.Equal(UtcHour(2024, 10, 27, 22), resolved.Last);
        Assert.Equal(25, Buckets(resolved));
    }

    [Theory]
    [InlineData("2024-03-10", 5, 3, 23)]
    [InlineData("2024-11-03", 4, 4, 25)]
    [InlineData("2024-07-04", 4, 3, 24)]
    public void New_york_days_follow_its_dst(string day, int firstUtcHour, int lastUtcHour, int buckets)
    {
        var resolved = Resolve($"""["{day}","{day}"]""", NewYork, hourly: true);

        Assert.Equal(firstUtcHour, resolved.First.Hour);
        Assert.Equal(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), DateOnly.FromDateTime(resolved.First));
        Assert.Equal(lastUtcHour, resolved.Last.Hour);
        Assert.Equal(buckets, Buckets(resolved));
    }

    [Fact]
    public void A_half_hour_zone_day_touches_25_utc_hour_buckets()
    {
        // Kolkata (+5:30): the local day runs 18:30Z..18:30Z, so its first and last UTC hours are both partly in it.
        var resolved = Resolve("""["2024-01-15","2024-01-15"]""", Kolkata, hourly: true);

        Assert.Equal(UtcHour(2024, 1, 14, 18), resolved.First);
        Assert.Equal(UtcHour(2024, 1, 15, 18), resolved.Last);
        Assert.Equal(25, Buckets(resolved));
    }

    [Theory]
    [InlineData("Etc/UTC", "2024-01-01", "2024-01-31")]
    [InlineData("Europe/Berlin", "2024-10-01", "2024-10-31")]
    [InlineData("America/New_York", "2024-10-15", "2024-11-14")]
    [InlineData("Asia/Kolkata", "2024-01-01", "2024-01-31")]
    public void Hourly_ranges_of_31_local_days_are_allowed_even_with_more_than_744_utc_hours(string zone, string from, string to)
    {
        var resolved = Resolve($"""["{from}","{to}"]""", TimeZoneInfo.FindSystemTimeZoneById(zone), hourly: true);

        Assert.Equal(Granularity.Hour, resolved.Granularity);
        Assert.InRange(Buckets(resolved), 744, 745);
    }

    [Fact]
    public void Hourly_ranges_over_31_days_are_rejected()
    {
        var error = Fails("""["2024-01-01","2024-02-01"]""", Berlin, hourly: true);

        Assert.Contains("at most 31 days", error.Message, StringComparison.Ordinal);
        Assert.Contains("time:day", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hourly_presets_resolve_in_the_sites_zone()
    {
        var resolved = Resolve("\"day\"", NewYork, hourly: true, today: new DateOnly(2024, 11, 3));

        Assert.Equal(UtcHour(2024, 11, 3, 4), resolved.First);
        Assert.Equal(25, Buckets(resolved));
        Assert.Contains("31 days", Fails("\"91d\"", hourly: true).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_day_whose_midnight_is_skipped_by_dst_starts_when_the_gap_ends()
    {
        // Cuba springs forward at 00:00 → 01:00: local midnight of 2024-03-10 never happens.
        Assert.True(Havana.IsInvalidTime(new DateTime(2024, 3, 10, 0, 0, 0)));

        var resolved = Resolve("""["2024-03-10","2024-03-10"]""", Havana, hourly: true);

        Assert.Equal(UtcHour(2024, 3, 10, 5), resolved.First);
        Assert.Equal(UtcHour(2024, 3, 11, 3), resolved.Last);
        Assert.Equal(23, Buckets(resolved));
    }

    [Fact]
    public void A_day_whose_midnight_repeats_starts_at_its_first_occurrence()
    {
        // Cuba falls back at 01:00 → 00:00: the hour after local midnight of 2024-11-03 happens twice.
        Assert.True(Havana.IsAmbiguousTime(new DateTime(2024, 11, 3, 0, 0, 0)));

        var day = Resolve("""["2024-11-03","2024-11-03"]""", Havana, hourly: true);
        var dayBefore = Resolve("""["2024-11-02","2024-11-02"]""", Havana, hourly: true);

        Assert.Equal(UtcHour(2024, 11, 3, 4), day.First);
        Assert.Equal(UtcHour(2024, 11, 4, 4), day.Last);
        Assert.Equal(25, Buckets(day));
        Assert.Equal(day.First.AddHours(-1), dayBefore.Last);
        Assert.Equal(24, Buckets(dayBefore));
    }

    [Fact]
    public void Hourly_datetime_ranges_are_floored_to_utc_hours()
    {
        var resolved = Resolve("""["2024-01-31T10:30:00+01:00","2024-01-31T12:59:59Z"]""", Berlin, hourly: true);

        Assert.Equal(new DateRangeResolver.Resolved(Granularity.Hour, UtcHour(2024, 1, 31, 9), UtcHour(2024, 1, 31, 12)), resolved);
    }

    [Fact]
    public void Hourly_datetime_ranges_are_limited_to_744_hours()
    {
        Assert.Equal(DateRangeResolver.MaxHours, Buckets(Resolve("""["2024-01-01T00:00:00Z","2024-01-31T23:00:00Z"]""", hourly: true)));
        Assert.Contains("31 days", Fails("""["2024-01-01T00:00:00Z","2024-02-01T00:00:00Z"]""", hourly: true).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Datetime_ranges_without_time_hour_resolve_to_the_local_days_they_touch()
    {
        // 23:30Z on Jan 31 is already Feb 1 in Berlin.
        var resolved = Resolve("""["2024-01-31T23:30:00Z","2024-02-02T22:59:00Z"]""", Berlin);

        Assert.Equal(new DateRangeResolver.Resolved(Granularity.Day, Day(2024, 2, 1), Day(2024, 2, 2)), resolved);
    }
}
