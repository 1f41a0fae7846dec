using System.Security.Claims;
using System.Security.Cryptography;
using Analytics.GrainInterfaces.Access;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Access;

/// <summary>
/// Server-side control of dashboard sessions, which are otherwise only a signed cookie: each session carries an id and
/// the admin credential's stamp. Logout ends the id in <see cref="IAdminSessionRegistryGrain"/> (every process sees it
/// within <see cref="AccessOptions.ValidationCacheDuration"/>, this one at once); a changed password changes the stamp,
/// which ends every session made before it. The cluster profile's dashboard process has no grain client: there, ended
/// sessions are kept in its memory only (lost on restart, when its sessions keep only their cookie lifetime).
/// </summary>
public sealed class AdminSessions(IServiceProvider services, AdminAccounts admins, TimeProvider time, IOptions<AccessOptions> options) : IDisposable
{
    private readonly IGrainFactory? _grains = services.GetService<IGrainFactory>();

    public const string SessionIdClaim = "ag:sid";
    public const string StampClaim = "ag:stamp";

    private readonly MemoryCache _ended = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    /// <summary>A new session's principal: the admin's grant, a fresh session id and the current stamp.</summary>
    public ClaimsPrincipal NewPrincipal()
    {
        var principal = AccessGrant.Admin(admins.Email).ToPrincipal(AccessSchemes.Cookie);
        ((ClaimsIdentity)principal.Identity!).AddClaims(
        [
            new Claim(SessionIdClaim, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))),
            new Claim(StampClaim, admins.Stamp),
        ]);
        return principal;
    }

    /// <summary>The cookie handler's check on every request: a session from before a password change, or logged out, is rejected.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.FindFirstValue(StampClaim) != admins.Stamp
            || context.Principal.FindFirstValue(SessionIdClaim) is not { } id
            || await IsEndedAsync(id))
        {
            context.RejectPrincipal();
        }
    }

    public async Task EndAsync(ClaimsPrincipal user, DateTimeOffset? cookieExpiresAt)
    {
        if (user.FindFirstValue(SessionIdClaim) is not { } id)
        {
            return;
        }

        var until = (cookieExpiresAt ?? time.GetUtcNow() + options.Value.SessionLifetime).UtcDateTime;
        if (_grains is not null)
        {
            await _grains.GetGrain<IAdminSessionRegistryGrain>(0).EndAsync(id, until);
        }

        _ended.Set(id, true, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = options.Value.SessionLifetime, Size = 1 });
    }

    public void Dispose() => _ended.Dispose();

    private async ValueTask<bool> IsEndedAsync(string id)
    {
        if (_ended.TryGetValue(id, out bool ended))
        {
            return ended;
        }

        if (_grains is null)
        {
            return false;
        }

        ended = await _grains.GetGrain<IAdminSessionRegistryGrain>(0).IsEndedAsync(id);
        // An ended session stays ended; a live one is asked about again after the validation cache's bound.
        _ended.Set(id, ended, new MemoryCacheEntryOptions
        {
            AbsoluteExpirationRelativeToNow = ended ? options.Value.SessionLifetime : options.Value.ValidationCacheDuration,
            Size = 1,
        });
        return ended;
    }
}
