using System.Text.Json.Serialization;
using Analytics.GrainInterfaces.Ga4;

namespace Analytics.Gateway.Api;

/// <summary>A Measurement Protocol API secret as listed: never the secret itself.</summary>
public sealed record MpSecretResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("site")] string Site,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("prefix")] string Prefix,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt,
    [property: JsonPropertyName("revoked")] bool Revoked)
{
    public static MpSecretResponse From(MpSecretInfo s) => new(s.Id, s.Site, s.Name, s.Prefix, s.CreatedAt, s.Revoked);
}
