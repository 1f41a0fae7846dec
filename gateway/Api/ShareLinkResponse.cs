using System.Text.Json.Serialization;
using Analytics.GrainInterfaces.Access;

namespace Analytics.Gateway.Api;

public sealed record ShareLinkResponse(
    [property: JsonPropertyName("slug")] string Slug,
    [property: JsonPropertyName("site")] string Site,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt)
{
    public static ShareLinkResponse From(ShareLink l) => new(l.Slug, l.Site, l.Name, ShareLinksApi.PagePath + l.Slug, l.CreatedAt);
}
