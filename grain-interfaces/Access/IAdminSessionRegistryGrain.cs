using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.Access;

/// <summary>Dashboard sessions ended before their cookie expires (logout), by session id (a single grain, key 0).</summary>
[Alias("IAdminSessionRegistryGrain")]
public interface IAdminSessionRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Ends the session; remembered until <paramref name="cookieExpiresAt"/>, after which its cookie is dead anyway.</summary>
    [Alias("End")]
    Task EndAsync(string sessionId, DateTime cookieExpiresAt);

    [Alias("IsEnded"), ReadOnly]
    Task<bool> IsEndedAsync(string sessionId);
}
