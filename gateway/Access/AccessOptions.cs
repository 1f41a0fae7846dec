using System.ComponentModel.DataAnnotations;

namespace Analytics.Gateway.Access;

/// <summary>Authentication settings (Analytics:Auth): the admin account, API keys injected as hashes, cache and session lifetimes.</summary>
public sealed class AccessOptions : IValidatableObject
{
    public const string SectionName = "Analytics:Auth";

    public AdminAccountOptions Admin { get; set; } = new();

    /// <summary>Keys given to this process as SHA-256 hashes (Kubernetes secrets, tests), on top of those created through /api/keys.</summary>
    public List<ConfiguredApiKey> ApiKeys { get; set; } = [];

    /// <summary>
    /// How long a validated key or share link is trusted from memory: a revocation made through another process is
    /// seen within this bound (the process that revoked it forgets at once).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ValidationCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a dashboard login lasts without activity (sliding).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Failed logins allowed per client address and <see cref="LoginFailureWindow"/> before /login answers 429.</summary>
    [Range(1, 1_000_000)]
    public int LoginFailures { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LoginFailureWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The key share slugs are derived with (base64, at least 32 bytes); give every gateway the same one (a secret, as
    /// for API keys). Without it, the key file below is read, or made on first start.
    /// </summary>
    public string? ShareLinkKey { get; set; }

    /// <summary>Where the share link key is kept when <see cref="ShareLinkKey"/> is not set: relative to the app's folder, outside the data directory.</summary>
    public string ShareLinkKeyFile { get; set; } = "share-link.key";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(ShareLinkKey) && !IsKey(ShareLinkKey))
        {
            yield return new ValidationResult("ShareLinkKey must be at least 32 bytes as base64.", [nameof(ShareLinkKey)]);
        }

        foreach (var (key, i) in ApiKeys.Select((k, i) => (k, i)))
        {
            if (key.Hash.Length != 64 || !key.Hash.All(Uri.IsHexDigit))
            {
                yield return new ValidationResult($"ApiKeys:{i}:Hash must be the SHA-256 of the key as 64 hex digits.", [nameof(ApiKeys)]);
            }

            if (key.Sites.Count == 0 || key.Permissions.Count == 0 || key.Permissions.Any(p => !AccessPermissions.All.Contains(p)))
            {
                yield return new ValidationResult(
                    $"ApiKeys:{i} needs Sites (domains or \"*\") and Permissions ({string.Join(", ", AccessPermissions.All)}).", [nameof(ApiKeys)]);
            }
        }
    }

    private static bool IsKey(string base64)
    {
        var bytes = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, bytes, out var length) && length >= 32;
    }
}
