using System.Text.Json.Serialization;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Gateway.Api;

/// <summary>A site's allowed event props, and the keys always offered besides them.</summary>
public sealed record SitePropsResponse(
    [property: JsonPropertyName("allowed")] IReadOnlyList<string> Allowed,
    [property: JsonPropertyName("internal")] IReadOnlyList<string> Internal)
{
    public static SitePropsResponse From(IReadOnlyList<string> allowed) => new(allowed, SiteProps.InternalKeys);
}
