namespace Analytics.GrainInterfaces.Imports;

/// <summary>
/// One day of one of Plausible's imported tables (imported_visitors, imported_pages, …): the table's dimension values in
/// its column order and its counts. Sums over days are what Plausible reports for imported data.
/// </summary>
[GenerateSerializer, Immutable, Alias("ImportedRow")]
public sealed record ImportedRow
{
    [Id(0)] public required string Table { get; init; }
    /// <summary>The site-local date (<see cref="DateOnly.DayNumber"/>).</summary>
    [Id(1)] public required int Day { get; init; }
    [Id(2)] public IReadOnlyList<string> Values { get; init; } = [];
    [Id(3)] public long Visitors { get; init; }
    [Id(4)] public long Visits { get; init; }
    [Id(5)] public long Pageviews { get; init; }
    [Id(6)] public long Bounces { get; init; }
    /// <summary>Total seconds of the day's visits.</summary>
    [Id(7)] public long VisitDuration { get; init; }
    [Id(8)] public long Events { get; init; }
}
