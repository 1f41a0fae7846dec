namespace Analytics.Gateway.Enrichment;

/// <summary>
/// What a User-Agent header tells us, in the shape of Plausible's browser/OS/device dimensions.
/// </summary>
/// <remarks>
/// <para>Unrecognised browser or OS names are <see cref="Unknown"/>.</para>
/// <para>Version rule (browser and OS alike): "major.minor" when the UA carries a minor component
/// ("120.0.6099.109" → "120.0"), "major" when it carries only a major one ("Android 14" → "14"),
/// and "" when there is no version or the name is unknown. Windows is the exception: its NT kernel
/// version is mapped to the marketing name ("NT 10.0" → "10", "NT 6.3" → "8.1").</para>
/// <para>Device is "Mobile", "Tablet", "Desktop" (only when a desktop OS is recognised) or
/// <see cref="Unknown"/>.</para>
/// <para><see cref="IsBot"/> is independent of the other fields: a crawler posing as Chrome on
/// Android still reports Chrome/Android/Mobile, so callers decide what to do with bots.</para>
/// </remarks>
public sealed record UserAgentInfo(string Browser, string BrowserVersion, string Os, string OsVersion, string Device, bool IsBot)
{
    public const string Unknown = "(unknown)";
}
