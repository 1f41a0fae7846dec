using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.Access;

/// <summary>The embedded profile's generated admin password, kept only as a password hash (a single grain, key 0).</summary>
[Alias("IAdminAccountGrain")]
public interface IAdminAccountGrain : IGrainWithIntegerKey
{
    [Alias("GetPasswordHash"), ReadOnly]
    Task<string?> GetPasswordHashAsync();

    /// <summary>Stores <paramref name="passwordHash"/> unless one is stored already; returns the one that is stored.</summary>
    [Alias("Initialize")]
    Task<string> InitializeAsync(string passwordHash);
}
