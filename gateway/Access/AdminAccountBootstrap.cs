using System.Security.Cryptography;
using Analytics.GrainInterfaces.Access;
using Microsoft.AspNetCore.WebUtilities;

namespace Analytics.Gateway.Access;

/// <summary>
/// The admin account of a host without a configured password (the embedded profile's first run): on first start,
/// generates one and keeps only its hash (grain state); later starts load that hash. A configured password or hash
/// always wins.
/// </summary>
public sealed class AdminAccountBootstrap(AdminAccounts admins, IGrainFactory grains)
{
    /// <summary>
    /// Makes the admin account usable. Returns the password generated now (to be shown this once), or null when it is
    /// configured or an earlier start generated it.
    /// </summary>
    public async Task<string?> InitializeAsync()
    {
        if (admins.IsConfigured)
        {
            return null;
        }

        var grain = grains.GetGrain<IAdminAccountGrain>(0);
        if (await grain.GetPasswordHashAsync() is { } stored)
        {
            admins.UseStoredHash(stored);
            return null;
        }

        var password = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(18));
        var hash = admins.HashPassword(password);
        // Two starts racing: the grain keeps the first hash, and only the start whose hash won shows its password.
        stored = await grain.InitializeAsync(hash);
        admins.UseStoredHash(stored);
        return stored == hash ? password : null;
    }
}
