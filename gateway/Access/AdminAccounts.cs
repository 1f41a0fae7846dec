using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Analytics.Gateway.Access;

/// <summary>
/// Checks the admin's credentials: a configured password or PBKDF2 hash (Analytics:Auth:Admin), or the hash the embedded
/// profile generated on first start and keeps in grain state (<see cref="UseStoredHash"/>).
/// </summary>
public sealed class AdminAccounts(IOptions<AccessOptions> options)
{
    private static readonly PasswordHasher<AdminAccounts> Hasher = new();

    private volatile string? _storedHash;

    public string Email => options.Value.Admin.Email;

    public bool IsConfigured => options.Value.Admin.IsConfigured;

    public string HashPassword(string password) => Hasher.HashPassword(this, password);

    public void UseStoredHash(string passwordHash) => _storedHash = passwordHash;

    /// <summary>
    /// Changes whenever the admin's password does (configured password or hash, or the stored hash): sessions carry it,
    /// so a password change ends the sessions made with the old one. Derived, never the password or its hash itself.
    /// </summary>
    public string Stamp
    {
        get
        {
            var admin = options.Value.Admin;
            var credential = !string.IsNullOrEmpty(admin.Password) ? "password:" + admin.Password
                : !string.IsNullOrEmpty(admin.PasswordHash) ? "hash:" + admin.PasswordHash
                : "stored:" + _storedHash;
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(admin.Email + "\n" + credential)))[..32];
        }
    }

    public bool Verify(string email, string password)
    {
        var admin = options.Value.Admin;
        if (!string.Equals(email.Trim(), admin.Email, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (!string.IsNullOrEmpty(admin.Password))
        {
            // Equal-length digests compared in constant time: the comparison does not reveal how much of the password matched.
            return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(password)), SHA256.HashData(Encoding.UTF8.GetBytes(admin.Password)));
        }

        return (string.IsNullOrEmpty(admin.PasswordHash) ? _storedHash : admin.PasswordHash) is { } hash
            && Hasher.VerifyHashedPassword(this, hash, password) != PasswordVerificationResult.Failed;
    }
}
