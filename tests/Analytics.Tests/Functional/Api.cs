using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Analytics.Testing;

namespace Analytics.Tests.Functional;

/// <summary>HTTP helpers shared by the functional and process tests.</summary>
public static class Api
{
    public const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

    public static Task<HttpResponseMessage> PostEventAsync(this HttpClient http, string json, string userAgent = Chrome, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/event") { Content = new StringContent(json, Encoding.UTF8, contentType) };
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        return http.SendAsync(request);
    }

    public static async Task<JsonElement> QueryAsync(this HttpClient http, object body)
    {
        var response = await http.PostAsJsonAsync("/api/v2/query", body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return response.IsSuccessStatusCode ? json : throw new InvalidOperationException($"{(int)response.StatusCode}: {json}");
    }

    /// <summary>The first result row's metrics.</summary>
    public static double[] Metrics(this JsonElement result) =>
        result.GetProperty("results").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } row
            ? [.. row.GetProperty("metrics").EnumerateArray().Select(m => m.GetDouble())]
            : [];

    /// <summary>Breakdown rows as value → metrics.</summary>
    public static Dictionary<string, double[]> Rows(this JsonElement result) =>
        result.GetProperty("results").EnumerateArray().ToDictionary(
            r => r.GetProperty("dimensions")[0].GetString()!,
            r => r.GetProperty("metrics").EnumerateArray().Select(m => m.GetDouble()).ToArray());

    public static Task<HttpResponseMessage> DeleteSiteAsync(this HttpClient http, string domain) =>
        http.DeleteAsync($"/api/sites/{Uri.EscapeDataString(domain)}");

    /// <summary>A CSV export (/api/sites/{domain}/export/{file}?query) parsed into rows of cells, header first.</summary>
    public static async Task<List<string[]>> GetCsvAsync(this HttpClient http, string domain, string file, string query)
    {
        var response = await http.GetAsync($"/api/sites/{Uri.EscapeDataString(domain)}/export/{file}?{query}");
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "text/csv"
            ? Csv.Parse(text)
            : throw new InvalidOperationException($"{(int)response.StatusCode}: {text}");
    }

    public static Task<double> PageviewsTodayAsync(this HttpClient http, string site) =>
        http.QueryAsync(new { site_id = site, metrics = new[] { "pageviews" }, date_range = "day" }).ContinueWith(t => t.Result.Metrics()[0], TaskScheduler.Default);

    public static Task<double> WaitForPageviewsAsync(this HttpClient http, string site, double expected, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => http.PageviewsTodayAsync(site), n => n >= expected, timeout ?? TimeSpan.FromSeconds(30), $"{expected} pageviews on {site}");
}
