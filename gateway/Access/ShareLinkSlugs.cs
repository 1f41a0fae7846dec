using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Access;

/// <summary>
/// A share link's slug is an HMAC of the link's random id under a server key held outside the data directory: the
/// registry keeps only the slug's SHA-256 (as before), yet the same link's URL can be given again (Plausible's
/// find-or-create <c>PUT /api/v1/sites/shared-links</c>) by whoever holds the key. Whoever has the data directory alone
/// has link ids and slug hashes, and cannot recover a slug. A revoked link's name made anew gets a new id, so a new URL.
/// </summary>
public sealed class ShareLinkSlugs
{
    private const int KeyBytes = 32;
    private readonly byte[] _key;

    public ShareLinkSlugs(IOptions<AccessOptions> options, IHostEnvironment environment)
    {
        var configured = options.Value.ShareLinkKey;
        _key = string.IsNullOrEmpty(configured)
            ? LoadOrCreate(Path.Combine(environment.ContentRootPath, options.Value.ShareLinkKeyFile))
            : Convert.FromBase64String(configured);
    }

    /// <summary>The slug of the link with this id: 16 bytes of HMAC-SHA256, base64url (22 characters, as random slugs were).</summary>
    public string SlugFor(string linkId) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("share-link:" + linkId)).AsSpan(0, 16));

    /// <summary>The key file's bytes; made on first start (mode 600, never overwritten: a lost race reads the winner's).</summary>
    private static byte[] LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            var key = RandomNumberGenerator.GetBytes(KeyBytes);
            try
            {
                var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var file = new FileStream(path, create);
                file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
                return key;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made it first: use that one.
            }
        }

        var text = File.ReadAllText(path).Trim();
        return Convert.FromBase64String(text) is { Length: >= KeyBytes } stored
            ? stored
            : throw new InvalidOperationException($"The share link key file '{path}' must hold at least {KeyBytes} bytes as base64.");
    }
}
