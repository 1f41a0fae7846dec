namespace Analytics.Sqlite.Lanes;

/// <summary>Settings of the embedded profile's lane checkpoint store (section <c>Analytics:LaneStore</c>).</summary>
public sealed class SqliteLaneStateStoreOptions
{
    public const string SectionName = "Analytics:LaneStore";

    /// <summary>The store's file, in the embedded profile's data directory (<c>Analytics:Sqlite:DataDirectory</c>).</summary>
    public string FileName { get; set; } = "lanes.db";

    /// <summary>Checkpoints of different lanes queued meanwhile that commit together in one transaction (each still whole or not at all).</summary>
    public int MaxWriteBatch { get; set; } = 64;

    /// <summary>Page cache of each of the store's two connections, in KiB.</summary>
    public int CacheKiB { get; set; } = 8 * 1024;
}
