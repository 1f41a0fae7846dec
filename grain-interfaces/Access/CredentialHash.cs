using System.Security.Cryptography;
using System.Text;

namespace Analytics.GrainInterfaces.Access;

/// <summary>How API keys and share slugs are stored: SHA-256, lowercase hex (64 characters).</summary>
public static class CredentialHash
{
    public const int Length = 64;

    /// <summary>
    /// A plain fast hash is right here (unlike passwords): keys and slugs are 128 to 256 random bits, so no dictionary or
    /// brute force can invert them, and a fast hash lets every request be checked without a slow KDF.
    /// </summary>
    public static string Of(string credential) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(credential)));
}
