namespace Analytics.GrainInterfaces.Imports;

/// <summary>One import job of a site and how far it got (the status endpoint's answer).</summary>
[GenerateSerializer, Immutable, Alias("SiteImport")]
public sealed record SiteImport
{
    public const string PlausibleCsv = "plausible_csv";
    public const string EventsCsv = "events_csv";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";

    [Id(0)] public long Id { get; init; }
    /// <summary><see cref="PlausibleCsv"/> (daily aggregates) or <see cref="EventsCsv"/> (events through the event log).</summary>
    [Id(1)] public required string Source { get; init; }
    [Id(2)] public required string FileName { get; init; }
    /// <summary>SHA-256 (hex) of the rows (aggregates) or of the file (events): the same aggregates uploaded again are the same import.</summary>
    [Id(3)] public required string ContentHash { get; init; }
    [Id(4)] public string Status { get; init; } = Running;
    [Id(5)] public int RowsTotal { get; init; }
    [Id(6)] public int RowsDone { get; init; }
    /// <summary>Rows left out: already imported (events) or not understood (listed in <see cref="Problems"/>).</summary>
    [Id(7)] public int RowsSkipped { get; init; }
    [Id(8)] public IReadOnlyList<string> Problems { get; init; } = [];
    /// <summary>First and last site-local day (<see cref="DateOnly.DayNumber"/>) of the rows; 0 before they are known.</summary>
    [Id(9)] public int FirstDay { get; init; }
    [Id(10)] public int LastDay { get; init; }
    [Id(11)] public DateTime CreatedAt { get; init; }
    [Id(12)] public DateTime? CompletedAt { get; init; }
}
