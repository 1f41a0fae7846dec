using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Analytics.Tests.Functional;

namespace Analytics.Tests.Ga4;

/// <summary>Sites with a GA4 measurement id and API secret, and the requests GA4 senders make.</summary>
public static class Ga4Client
{
    public sealed record Stream(string Domain, string MeasurementId, string ApiSecret, string SecretId);

    public static async Task RegisterSiteAsync(this EmbeddedAppFactory app, string domain, string measurementId) =>
        (await app.CreateClient().PostAsJsonAsync("/api/sites", new { domain, timezone = "Etc/UTC", ga4_measurement_id = measurementId })).EnsureSuccessStatusCode();

    /// <summary>Registers <paramref name="domain"/> with <paramref name="measurementId"/> and creates an API secret for it.</summary>
    public static async Task<Stream> RegisterStreamAsync(this EmbeddedAppFactory app, string domain, string measurementId)
    {
        await app.RegisterSiteAsync(domain, measurementId);
        var http = app.CreateClient();
        var created = await http.PostAsJsonAsync($"/api/sites/{domain}/mp-secrets", new { name = "server" });
        created.EnsureSuccessStatusCode();
        var json = await created.Content.ReadFromJsonAsync<JsonElement>();
        return new Stream(domain, measurementId, json.GetProperty("api_secret").GetString()!, json.GetProperty("secret").GetProperty("id").GetString()!);
    }

    public static Task<HttpResponseMessage> PostMpAsync(this HttpClient http, Stream stream, string body, string? secret = null, string path = "/mp/collect") =>
        http.PostAsync(
            $"{path}?measurement_id={Uri.EscapeDataString(stream.MeasurementId)}&api_secret={Uri.EscapeDataString(secret ?? stream.ApiSecret)}",
            new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>The validation server's messages as (fieldPath, validationCode) pairs.</summary>
    public static async Task<List<(string Path, string Code, string Description)>> ValidateAsync(this HttpClient http, Stream stream, string body)
    {
        var response = await http.PostMpAsync(stream, body, path: "/debug/mp/collect");
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. json.GetProperty("validationMessages").EnumerateArray().Select(m => (
            m.GetProperty("fieldPath").GetString()!, m.GetProperty("validationCode").GetString()!, m.GetProperty("description").GetString()!))];
    }

    public static Task<double> MetricTodayAsync(this HttpClient http, string site, string metric) =>
        http.QueryAsync(new { site_id = site, metrics = new[] { metric }, date_range = "day" }).ContinueWith(t => t.Result.Metrics()[0], TaskScheduler.Default);

    public static async Task<Dictionary<string, double>> CustomEventsTodayAsync(this HttpClient http, string site) =>
        (await http.QueryAsync(new { site_id = site, metrics = new[] { "events" }, date_range = "day", dimensions = new[] { "event:name" } }))
            .Rows().ToDictionary(r => r.Key, r => r.Value[0]);
}
