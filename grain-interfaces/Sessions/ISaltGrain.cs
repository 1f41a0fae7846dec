using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.Sessions;

/// <summary>
/// The secret salt of one UTC day (key: "yyyy-MM-dd") for cookieless visitor hashes. Salts of past days can be
/// forgotten, which makes yesterday's hashes unlinkable to today's. One salt never rotates (key "ga4-client-id"): it
/// keys the hashes of GA4 client ids, which must name the same visitor every day.
/// </summary>
[Alias("ISaltGrain")]
public interface ISaltGrain : IGrainWithStringKey
{
    [Alias("GetSalt"), ReadOnly]
    Task<byte[]> GetSaltAsync();
}
