namespace Analytics.Gateway.Access;

/// <summary>An API key given by configuration as its hash only (Analytics:Auth:ApiKeys:n).</summary>
public sealed class ConfiguredApiKey
{
    public string Name { get; set; } = "configured";

    /// <summary>SHA-256 of the key, 64 hex digits (<c>printf %s "$KEY" | sha256sum</c>).</summary>
    public string Hash { get; set; } = string.Empty;

    /// <summary>Domains the key may read, or "*" for every site.</summary>
    public List<string> Sites { get; set; } = [];

    public List<string> Permissions { get; set; } = [];
}
