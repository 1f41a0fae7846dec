namespace Analytics.Gateway.Api;

/// <summary>
/// Endpoint metadata: the endpoint answers invalid JSON itself, as its anchor documents (GA4's collectors answer 204 or
/// validation messages whatever they are sent), so <see cref="JsonUnicodeCheck"/> leaves its bodies to it.
/// </summary>
public sealed class ValidatesOwnJson
{
    public static readonly ValidatesOwnJson Instance = new();

    private ValidatesOwnJson()
    {
    }
}
