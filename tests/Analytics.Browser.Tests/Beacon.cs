using System.Text.Json;

namespace Analytics.Browser.Tests;

/// <summary>One POST /api/event as the server received it.</summary>
public sealed record Beacon(string Body, string? ContentType, JsonElement Json)
{
    public string? Name => Get("n")?.GetString();

    public string? Url => Get("u")?.GetString();

    public JsonElement? Get(string key) => Json.TryGetProperty(key, out var value) ? value : null;

    public bool Has(string key) => Json.TryGetProperty(key, out _);

    public override string ToString() => $"[{ContentType}] {Body}";
}
