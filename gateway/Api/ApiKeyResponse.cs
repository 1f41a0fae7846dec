using System.Text.Json.Serialization;
using Analytics.GrainInterfaces.Access;

namespace Analytics.Gateway.Api;

/// <summary>A key as listed: never the key or its hash, only a prefix to recognise it.</summary>
public sealed record ApiKeyResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("prefix")] string Prefix,
    [property: JsonPropertyName("sites")] IReadOnlyList<string> Sites,
    [property: JsonPropertyName("permissions")] IReadOnlyList<string> Permissions,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt,
    [property: JsonPropertyName("last_used_at")] DateTime? LastUsedAt,
    [property: JsonPropertyName("revoked")] bool Revoked)
{
    public static ApiKeyResponse From(ApiKeyInfo k) => new(k.Id, k.Name, k.Owner, k.Prefix, k.Sites, k.Permissions, k.CreatedAt, k.LastUsedAt, k.Revoked);
}
