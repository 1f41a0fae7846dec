using System.Security.Cryptography;
using System.Text;

namespace Analytics.GrainInterfaces.Privacy;

public static class SiteTombstones
{
    /// <summary>SHA-256 of the domain: the tombstone's grain key, which must not name the erased site.</summary>
    public static string KeyOf(string site) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(site)));

    public static ISiteTombstoneGrain Of(this IGrainFactory grains, string site) => grains.GetGrain<ISiteTombstoneGrain>(KeyOf(site));
}
