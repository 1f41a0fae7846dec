namespace Analytics.Abstractions.Caching;

public enum HotCacheProvider
{
    /// <summary>No cache: every query goes to the grains.</summary>
    None,
    /// <summary>In-process (the embedded profile's default).</summary>
    Memory,
    /// <summary>Shared by every gateway through Redis (the cluster profile's default).</summary>
    Redis,
}
