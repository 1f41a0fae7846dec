using System.Security.Cryptography;
using Analytics.GrainInterfaces.Access;
using Microsoft.AspNetCore.WebUtilities;

namespace Analytics.Gateway.Access;

/// <summary>Making and hashing API keys and share slugs.</summary>
public static class ApiKeys
{
    public const string KeyPrefix = "ag_";

    /// <summary>Characters of a key shown in lists to recognise it ("ag_" and 6 more: 36 bits, not enough to guess the rest).</summary>
    public const int VisiblePrefixLength = 9;

    /// <summary>"ag_" + 32 random bytes, base64url: 256 bits of entropy.</summary>
    public static string NewKey() => KeyPrefix + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>A short id to name a key in the API (revoke), unrelated to the key.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>What is stored of a key or a slug: its SHA-256 (<see cref="CredentialHash"/>).</summary>
    public static string Hash(string key) => CredentialHash.Of(key);

    public static string VisiblePrefix(string key) => key[..Math.Min(VisiblePrefixLength, key.Length)];
}
