using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Analytics.Bench.Traffic;
using HdrHistogram;

namespace Analytics.Bench.Infra;

/// <summary>
/// One freshness probe: a beacon with a unique page path on its own site; after its 202 the query API is polled
/// (POST /api/v2/query filtered on that path, every 20 ms) until the page shows. Lag = 202 to visible, in µs.
/// Shared by the freshness and kafka scenarios so both measure the same way.
/// </summary>
public static class FreshnessProbe
{
    public const string ProbeSite = "probe.bench";
    public static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(20);
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(10);

    /// <summary>Returns true and records the lag when the probe became visible within <see cref="GiveUpAfter"/>.</summary>
    public static async Task<bool> RunAsync(LoadRunner load, HttpClient query, string id, LongConcurrentHistogram lags, TimeSpan? giveUpAfter = null)
    {
        var path = $"/probe/{id}";
        var beacon = new SyntheticBeacon(default, ProbeSite, "pageview", $"https://{ProbeSite}{path}", null,
            TrafficGenerator.UserAgents[0], "192.0.2.1", $"probe{id}x", 1440, null);
        var ok = await load.SendAsync(new LoadRunner.PreparedBeacon(Encoding.UTF8.GetBytes(beacon.ToCompactJson()), beacon.UserAgent, beacon.ClientIp));
        var accepted = Stopwatch.GetTimestamp();
        if (!ok)
        {
            return false;
        }

        var body = $$"""{"site_id":"{{ProbeSite}}","metrics":["pageviews"],"date_range":"day","dimensions":["event:page"],"filters":[["is","event:page",["{{path}}"]]]}""";
        while (Stopwatch.GetElapsedTime(accepted) < (giveUpAfter ?? GiveUpAfter))
        {
            using var response = await query.PostAsync("api/v2/query", new StringContent(body, Encoding.UTF8, "application/json"));
            var json = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("results", out var results) && results.GetArrayLength() > 0)
            {
                lags.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(accepted).TotalMicroseconds));
                return true;
            }

            await Task.Delay(PollEvery);
        }

        return false;
    }
}
