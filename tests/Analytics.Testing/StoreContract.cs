using Xunit;

namespace Analytics.Testing;

/// <summary>
/// The harness of the store contracts (<see cref="SegmentStoreContract"/>, <see cref="LaneStateStoreContract"/>): a
/// derived test class opens its real store (SQLite file, Cassandra server) before each test and closes it after; a test
/// whose server is unreachable, when that is allowed, ends as not applicable.
/// </summary>
public abstract class StoreContract<TStore> : IAsyncLifetime
    where TStore : class
{
    protected TStore Store { get; private set; } = null!;

    /// <summary>False when the store's server is unreachable and that is allowed (the test then ends as not applicable).</summary>
    protected virtual bool Available => true;

    /// <summary>A site name no other test (or earlier run on the same server) uses.</summary>
    protected static string NewSite(string prefix) => $"{prefix}-{Guid.NewGuid():N}.test";

    protected abstract Task<TStore> OpenStoreAsync();

    protected abstract Task CloseStoreAsync();

    public async Task InitializeAsync()
    {
        if (Available)
        {
            Store = await OpenStoreAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (Available)
        {
            await CloseStoreAsync();
        }
    }
}
