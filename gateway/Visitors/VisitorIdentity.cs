using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Analytics.GrainInterfaces.Sessions;

namespace Analytics.Gateway.Visitors;

/// <summary>
/// Visitor ids that carry no personal data: "c:" + the tracker's random cookie id, or "h:" + a keyed hash of
/// site, IP and User-Agent under the current UTC day's secret salt, or "g:" + a keyed hash of a GA4 client id. The IP
/// and the client id are hashed here and stored nowhere.
/// </summary>
public sealed class VisitorIdentity(IGrainFactory grains)
{
    /// <summary>The salt grain key of the one salt that never rotates: GA4 client ids must map to the same visitor every day.</summary>
    public const string ClientIdSaltKey = "ga4-client-id";

    private readonly ConcurrentDictionary<string, Task<byte[]>> _salts = new(StringComparer.Ordinal);
    private Task<byte[]>? _clientIdSalt;

    public static bool IsValidCookieId(string? id) =>
        id is { Length: >= 8 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public async ValueTask<string> HashAsync(string site, IPAddress? ip, string userAgent, DateTime now, CancellationToken cancellationToken)
    {
        var salt = await SaltOfAsync(DateOnly.FromDateTime(now)).WaitAsync(cancellationToken);
        var input = Encoding.UTF8.GetBytes(string.Join('\n', site, ip?.ToString() ?? string.Empty, userAgent));
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(salt, input, hash);
        return "h:" + Base64Url.EncodeToString(hash[..12]);
    }

    /// <summary>"g:" + a keyed hash of site and GA4 client id: the raw client id is stored nowhere.</summary>
    public async ValueTask<string> ClientIdHashAsync(string site, string clientId, CancellationToken cancellationToken)
    {
        var salt = _clientIdSalt is { IsFaulted: false } cached ? cached : _clientIdSalt = grains.GetGrain<ISaltGrain>(ClientIdSaltKey).GetSaltAsync();
        var key = await salt.WaitAsync(cancellationToken);
        return "g:" + Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(site + "\n" + clientId)).AsSpan(0, 12));
    }

    private Task<byte[]> SaltOfAsync(DateOnly day)
    {
        var key = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var salt = _salts.GetOrAdd(key, k => grains.GetGrain<ISaltGrain>(k).GetSaltAsync());
        if (salt.IsFaulted)
        {
            _salts.TryRemove(new(key, salt));
        }

        // Keep only today's and yesterday's salts in memory.
        if (_salts.Count > 2)
        {
            foreach (var old in _salts.Keys.Where(k => string.CompareOrdinal(k, key) < 0).Order().SkipLast(1))
            {
                _salts.TryRemove(old, out _);
            }
        }

        return salt;
    }
}
