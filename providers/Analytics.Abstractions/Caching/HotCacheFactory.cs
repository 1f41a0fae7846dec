namespace Analytics.Abstractions.Caching;

/// <summary>
/// Creates the inner cache for one <see cref="HotCacheProvider"/>; registered keyed by it (Memory and None here, Redis by
/// Analytics.Redis). A factory rather than a keyed <see cref="IHotCache"/>: the <see cref="ResilientHotCache"/> wrapping
/// the result owns it and disposes it, so the container must not.
/// </summary>
public delegate IHotCache HotCacheFactory(IServiceProvider services);
