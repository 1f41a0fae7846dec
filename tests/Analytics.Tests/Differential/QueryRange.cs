using System.Globalization;
using System.Text.Json.Nodes;

namespace Analytics.Tests.Differential;

/// <summary>
/// A query's date_range as sent (a preset relative to "date", two ISO dates, or two ISO datetimes) and, independently of
/// the product's resolver, what it covers: local days [FirstDay, LastDay], or the instants [From, To].
/// </summary>
public sealed record QueryRange(string? Preset, DateOnly FirstDay, DateOnly LastDay, DateOnly? Date = null, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    public static QueryRange OfPreset(string preset, DateOnly date) => preset switch
    {
        "day" => new(preset, date, date, date),
        "7d" => new(preset, date.AddDays(-6), date, date),
        "28d" => new(preset, date.AddDays(-27), date, date),
        "30d" => new(preset, date.AddDays(-29), date, date),
        "month" => new(preset, new DateOnly(date.Year, date.Month, 1), date, date),
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "not a preset the generator uses"),
    };

    public static QueryRange OfDays(DateOnly first, DateOnly last) => new(null, first, last);

    /// <summary>Whole hours: [from, lastHour + 1 h), sent as those two instants (the end exclusive, as the parser reads it).</summary>
    public static QueryRange OfHours(DateTimeOffset from, DateTimeOffset lastHour) =>
        new(null, DateOnly.FromDateTime(from.UtcDateTime), DateOnly.FromDateTime(lastHour.UtcDateTime), From: from, To: lastHour.AddHours(1));

    public JsonNode Json => Preset is not null ? JsonValue.Create(Preset)
        : From is { } from ? new JsonArray(Iso(from), Iso(To!.Value))
        : new JsonArray(Day(FirstDay), Day(LastDay));

    /// <summary>Start of the range (inclusive) as a PostgreSQL timestamptz expression.</summary>
    public string SqlFrom(string zone) => From is { } from ? $"TIMESTAMPTZ '{Iso(from)}'" : $"(TIMESTAMP '{Day(FirstDay)}' AT TIME ZONE '{zone}')";

    /// <summary>End of the range (exclusive).</summary>
    public string SqlTo(string zone) => To is { } to ? $"TIMESTAMPTZ '{Iso(to)}'" : $"(TIMESTAMP '{Day(LastDay.AddDays(1))}' AT TIME ZONE '{zone}')";

    /// <summary>The range's first local day, where weeks and months are clamped to begin.</summary>
    public string SqlFirstLocalDay(string zone) => From is { } ? $"date_trunc('day', {SqlFrom(zone)} AT TIME ZONE '{zone}')" : $"TIMESTAMP '{Day(FirstDay)}'";

    public override string ToString() => Json.ToJsonString() + (Date is { } d ? $" (date {Day(d)})" : "");

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
