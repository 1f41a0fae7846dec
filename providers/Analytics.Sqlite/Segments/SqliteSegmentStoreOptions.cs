namespace Analytics.Sqlite.Segments;

/// <summary>Settings of the embedded profile's segment store (section <c>Analytics:SegmentStore</c>).</summary>
public sealed class SqliteSegmentStoreOptions
{
    public const string SectionName = "Analytics:SegmentStore";

    /// <summary>The store's file, in the embedded profile's data directory (<c>Analytics:Sqlite:DataDirectory</c>).</summary>
    public string FileName { get; set; } = "segments.db";

    /// <summary>Writes (appends, seals, erasures) queued meanwhile that commit together in one transaction.</summary>
    public int MaxWriteBatch { get; set; } = 256;

    /// <summary>Page cache of each of the store's two connections, in KiB.</summary>
    public int CacheKiB { get; set; } = 8 * 1024;
}
