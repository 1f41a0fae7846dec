using System.Text.Json.Serialization;
using Analytics.GrainInterfaces.Access;

namespace Analytics.Gateway.Api;

/// <summary>A share link: its slug and path only in the answer that created it (only the slug's hash is kept).</summary>
public sealed record ShareLinkResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("slug"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Slug,
    [property: JsonPropertyName("site")] string Site,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("path"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Path,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt)
{
    public static ShareLinkResponse From(ShareLink l, string? slug) =>
        new(l.Id, slug, l.Site, l.Name, slug is null ? null : ShareLinksApi.PagePath + slug, l.CreatedAt);
}
