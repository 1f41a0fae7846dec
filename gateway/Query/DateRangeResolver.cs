using System.Globalization;
using System.Text.Json;
using Analytics.GrainInterfaces.Metrics;

namespace Analytics.Gateway.Query;

/// <summary>
/// Turns a Stats API date_range into bucket starts in the site's time zone: local days for day-aligned ranges,
/// UTC hours for "time:hour" or datetime ranges.
/// </summary>
public static class DateRangeResolver
{
    public const int MaxDays = 3660;
    public const int MaxHours = 31 * 24;

    private static readonly string HourlyLimitMessage = $"Hourly results cover at most {MaxHours / 24} days; narrow date_range or use time:day.";

    public static readonly IReadOnlyList<string> Presets = ["day", "7d", "28d", "30d", "91d", "month", "6mo", "12mo", "year", "all"];

    public readonly record struct Resolved(Granularity Granularity, DateTime First, DateTime Last);

    /// <summary>Dates outside these are refused, so no range arithmetic can leave DateTime's years 1..9999.</summary>
    public static readonly DateOnly MinDate = new(1970, 1, 1);
    public static readonly DateOnly MaxDate = new(9000, 12, 31);

    private static readonly string OutOfRangeMessage = $"Dates must lie between {MinDate:yyyy-MM-dd} and {MaxDate:yyyy-MM-dd}.";

    public static Resolved Resolve(JsonElement range, TimeZoneInfo zone, DateOnly today, DateOnly createdOn, bool hourly)
    {
        CheckBounds(today);
        if (range.ValueKind == JsonValueKind.String)
        {
            var (from, to) = Preset(range.GetString()!, today, createdOn);
            return Days(from, to, zone, hourly);
        }

        if (range.ValueKind != JsonValueKind.Array || range.GetArrayLength() != 2
            || range[0].ValueKind != JsonValueKind.String || range[1].ValueKind != JsonValueKind.String)
        {
            throw new QueryValidationException($"date_range must be one of {string.Join(", ", Presets)} or [from, to] as two ISO dates or datetimes.");
        }

        var first = range[0].GetString()!;
        var last = range[1].GetString()!;
        if (DateOnly.TryParseExact(first, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var fromDay)
            && DateOnly.TryParseExact(last, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var toDay))
        {
            CheckBounds(fromDay);
            CheckBounds(toDay);
            return Days(fromDay, toDay, zone, hourly);
        }

        if (TryParseInstant(first, out var fromTime) && TryParseInstant(last, out var toTime))
        {
            CheckBounds(DateOnly.FromDateTime(fromTime.UtcDateTime));
            CheckBounds(DateOnly.FromDateTime(toTime.UtcDateTime));
            if (fromTime > toTime)
            {
                throw new QueryValidationException("date_range starts after it ends.");
            }

            if (!hourly)
            {
                // A datetime range without time:hour still resolves to the local days it touches.
                return Days(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(fromTime, zone).DateTime),
                    DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(toTime, zone).DateTime), zone, hourly: false);
            }

            return Hours(FloorHour(fromTime.UtcDateTime), FloorHour(toTime.UtcDateTime));
        }

        throw new QueryValidationException(
            "date_range [from, to] must be two ISO dates (2024-01-31) or two ISO datetimes with an offset (2024-01-31T10:00:00Z, 2024-01-31T10:00:00+01:00).");
    }

    /// <summary>
    /// The range as UTC instants [from, to): local midnights for dates and presets, the given instants for datetimes
    /// (<paramref name="instants"/> true). Validated as <see cref="Resolve"/> validates it, hourly bounds included.
    /// </summary>
    public static (DateTime FromUtc, DateTime ToUtc) ResolveUtc(JsonElement range, TimeZoneInfo zone, DateOnly today, DateOnly createdOn, bool hourly, out bool instants)
    {
        var resolved = Resolve(range, zone, today, createdOn, hourly);
        if (range.ValueKind == JsonValueKind.Array && TryParseInstant(range[0].GetString()!, out var first) && TryParseInstant(range[1].GetString()!, out var last))
        {
            instants = true;
            return (first.UtcDateTime, last.UtcDateTime);
        }

        instants = false;
        var days = hourly ? Resolve(range, zone, today, createdOn, hourly: false) : resolved;
        return (StartOfDayUtc(DateOnly.FromDateTime(days.First), zone), StartOfDayUtc(DateOnly.FromDateTime(days.Last).AddDays(1), zone));
    }

    public static void CheckBounds(DateOnly day)
    {
        if (day < MinDate || day > MaxDate)
        {
            throw new QueryValidationException(OutOfRangeMessage);
        }
    }

    /// <summary>An ISO datetime with "Z" or an offset; without one the server's own time zone would silently apply.</summary>
    private static bool TryParseInstant(string text, out DateTimeOffset instant)
    {
        instant = default;
        return text.Contains('T', StringComparison.Ordinal)
            && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
            && parsed.Kind != DateTimeKind.Unspecified
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
    }

    private static (DateOnly From, DateOnly To) Preset(string preset, DateOnly today, DateOnly createdOn) => preset switch
    {
        "day" => (today, today),
        "7d" => (today.AddDays(-6), today),
        "28d" => (today.AddDays(-27), today),
        "30d" => (today.AddDays(-29), today),
        "91d" => (today.AddDays(-90), today),
        "month" => (new DateOnly(today.Year, today.Month, 1), today),
        "6mo" => (new DateOnly(today.Year, today.Month, 1).AddMonths(-5), today),
        "12mo" => (new DateOnly(today.Year, today.Month, 1).AddMonths(-11), today),
        "year" => (new DateOnly(today.Year, 1, 1), today),
        "all" => (createdOn < today ? createdOn : today, today),
        _ => throw new QueryValidationException($"Unknown date_range '{preset}'; use one of {string.Join(", ", Presets)} or [from, to]."),
    };

    private static Resolved Days(DateOnly from, DateOnly to, TimeZoneInfo zone, bool hourly)
    {
        if (from > to)
        {
            throw new QueryValidationException("date_range starts after it ends.");
        }

        if (hourly)
        {
            // Limited in local days, not UTC hours: 31 days with a fall-back day, or in a +5:30 zone, span 745 hour buckets.
            if (to.DayNumber - from.DayNumber + 1 > MaxHours / 24)
            {
                throw new QueryValidationException(HourlyLimitMessage);
            }

            var start = StartOfDayUtc(from, zone);
            var end = StartOfDayUtc(to.AddDays(1), zone);
            return new Resolved(Granularity.Hour, FloorHour(start), FloorHour(end.AddTicks(-1)));
        }

        if (to.DayNumber - from.DayNumber + 1 > MaxDays)
        {
            throw new QueryValidationException($"date_range spans more than {MaxDays} days.");
        }

        return new Resolved(Granularity.Day, from.ToDateTime(TimeOnly.MinValue), to.ToDateTime(TimeOnly.MinValue));
    }

    private static Resolved Hours(DateTime first, DateTime last)
    {
        if ((last - first).TotalHours + 1 > MaxHours)
        {
            throw new QueryValidationException(HourlyLimitMessage);
        }

        return new Resolved(Granularity.Hour, first, last);
    }

    /// <summary>
    /// The first instant of a local day. Where DST skips midnight (e.g. America/Havana) the day begins when the gap ends;
    /// where midnight repeats, at its first occurrence. ConvertTimeToUtc would throw or pick the later one.
    /// </summary>
    public static DateTime StartOfDayUtc(DateOnly day, TimeZoneInfo zone)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue);
        var offset = zone.IsInvalidTime(midnight) ? zone.GetUtcOffset(midnight.AddHours(-1))
            : zone.IsAmbiguousTime(midnight) ? zone.GetAmbiguousTimeOffsets(midnight).Max()
            : zone.GetUtcOffset(midnight);
        return DateTime.SpecifyKind(midnight - offset, DateTimeKind.Utc);
    }

    private static DateTime FloorHour(DateTime utc) => new(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc);
}
