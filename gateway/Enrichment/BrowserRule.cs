namespace Analytics.Gateway.Enrichment;

/// <summary>
/// A UA token that identifies a browser. The version follows <see cref="VersionToken"/> when that is
/// present (Safari's "Version/"), otherwise it follows <see cref="Token"/> itself.
/// </summary>
internal readonly record struct BrowserRule(string Token, string Name, string? VersionToken = null);
