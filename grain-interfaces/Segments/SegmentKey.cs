using System.Globalization;

namespace Analytics.GrainInterfaces.Segments;

/// <summary>
/// A segment: one site's sessions that started on one UTC day, with all their events ("site|2026-11-23"). UTC days, so
/// that a segment never depends on a site's time zone; a query in local days reads the UTC days it touches and the one
/// before (whose sessions may run past midnight), and keeps the rows whose time lies in its range.
/// </summary>
public readonly record struct SegmentKey(string Site, DateOnly Day)
{
    private const string DayFormat = "yyyy-MM-dd";

    /// <summary>
    /// A session still going this long after the end of the UTC day it started in ends there; its next event starts a new
    /// session. This bounds where a session's events can lie (its day and the first hour of the next), so a segment can be
    /// sealed soon after its day and a query reads at most one segment before its range.
    /// </summary>
    public static readonly TimeSpan SessionCutoff = TimeSpan.FromHours(1);

    public static SegmentKey Of(string site, DateTime utc) => new(site, DateOnly.FromDateTime(utc));

    public DateTime StartUtc => Day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    public DateTime EndUtc => StartUtc.AddDays(1);

    /// <summary>No event of a session that started in this segment's day lies at or after this instant.</summary>
    public DateTime LatestEventUtc => EndUtc + SessionCutoff;

    public override string ToString() => $"{Site}|{Day.ToString(DayFormat, CultureInfo.InvariantCulture)}";

    public static SegmentKey Parse(string key)
    {
        var bar = key.LastIndexOf('|');
        return bar > 0 && DateOnly.TryParseExact(key[(bar + 1)..], DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? new SegmentKey(key[..bar], day)
            : throw new FormatException($"A segment key is 'site|yyyy-MM-dd', got '{key}'.");
    }

    /// <summary>The segments whose rows may lie in [fromUtc, toUtc): the UTC days it touches and the day before.</summary>
    public static IEnumerable<SegmentKey> Covering(string site, DateTime fromUtc, DateTime toUtc)
    {
        var first = DateOnly.FromDateTime(fromUtc).AddDays(-1);
        var last = DateOnly.FromDateTime(toUtc.AddTicks(-1));
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            yield return new SegmentKey(site, day);
        }
    }
}
