using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics;
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

    /// <summary>Room for the longest text of an address: IPv6 with an embedded IPv4 address and a scope id (56 bytes).</summary>
    private const int MaxIpBytes = 64;

    private readonly ConcurrentDictionary<DateOnly, Task<byte[]>> _salts = new();
    private Task<byte[]>? _clientIdSalt;

    public static bool IsValidCookieId(string? id) =>
        id is { Length: >= 8 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public async ValueTask<string> HashAsync(string site, IPAddress? ip, string userAgent, DateTime now, CancellationToken cancellationToken)
    {
        var salt = await SaltOfAsync(DateOnly.FromDateTime(now)).WaitAsync(cancellationToken);
        return Hash(salt, site, ip, userAgent);
    }

    /// <summary>"h:" + the keyed hash of "site\nip\nuser agent" (UTF-8), encoded into a buffer of the stack when it fits.</summary>
    private static string Hash(byte[] salt, string site, IPAddress? ip, string userAgent)
    {
        var max = Encoding.UTF8.GetMaxByteCount(site.Length + userAgent.Length) + MaxIpBytes + 2;
        byte[]? rented = null;
        Span<byte> input = max <= 1024 ? stackalloc byte[max] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var length = Encoding.UTF8.GetBytes(site, input);
            input[length++] = (byte)'\n';
            if (ip is not null)
            {
                // Cannot fail: the buffer has MaxIpBytes to spare beyond the two strings.
                var formatted = ip.TryFormat(input[length..], out var written);
                Debug.Assert(formatted);
                length += written;
            }

            input[length++] = (byte)'\n';
            length += Encoding.UTF8.GetBytes(userAgent, input[length..]);
            Span<byte> hash = stackalloc byte[32];
            HMACSHA256.HashData(salt, input[..length], hash);
            return "h:" + Base64Url.EncodeToString(hash[..12]);
        }
        finally
        {
            if (rented is not null)
            {
                // Cleared: the text holds the client's address, which is kept nowhere.
                ArrayPool<byte>.Shared.Return(rented, clearArray: true);
            }
        }
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
        // Every beacon of a day asks: a salt held is returned at once, without a key formatted or the table counted
        // (ConcurrentDictionary.Count takes every lock).
        if (_salts.TryGetValue(day, out var held) && !held.IsFaulted)
        {
            return held;
        }

        var salt = _salts.GetOrAdd(day, d => grains.GetGrain<ISaltGrain>(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).GetSaltAsync());
        if (salt.IsFaulted)
        {
            _salts.TryRemove(new(day, salt));
        }

        // Keep only today's and yesterday's salts in memory.
        if (_salts.Count > 2)
        {
            foreach (var old in _salts.Keys.Where(d => d < day).Order().SkipLast(1))
            {
                _salts.TryRemove(old, out _);
            }
        }

        return salt;
    }
}
