using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Analytics.Tests.Functional;

/// <summary>What tests of the access rules do again and again: create a key, expect a problem answer.</summary>
internal static class ApiKeyRequests
{
    /// <summary>Creates a key through <c>POST /api/keys</c>; returns the secret (shown once) and the created key's JSON.</summary>
    public static async Task<(string Key, JsonElement Created)> CreateKeyAsync(this HttpClient http, string name, string[] sites, string[] permissions)
    {
        using var response = await http.PostAsJsonAsync("/api/keys", new { name, sites, permissions });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return (body.GetProperty("key").GetString()!, body.GetProperty("api_key"));
    }

    /// <summary>Asserts the status and that the answer is problem+json.</summary>
    public static async Task AssertProblemAsync(HttpStatusCode expected, HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode} instead of {(int)expected}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
