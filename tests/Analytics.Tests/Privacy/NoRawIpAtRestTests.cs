using System.Net;
using System.Text;
using Analytics.Testing;
using Analytics.Tests.Abuse;
using Analytics.Tests.Functional;

namespace Analytics.Tests.Privacy;

/// <summary>
/// No raw IP address is at rest: beacons from distinctive client addresses (X-Forwarded-For from loopback, a trusted
/// proxy) go through the embedded host on a real socket, then every byte of every file in its data folder is searched
/// for the addresses as text (UTF-8 and UTF-16) and in their 4- and 16-byte binary forms — while running (WAL included)
/// and after a graceful stop.
/// </summary>
public sealed class NoRawIpAtRestTests
{
    private static readonly IPAddress[] Clients =
    [
        IPAddress.Parse("203.0.113.77"), IPAddress.Parse("198.51.100.213"), IPAddress.Parse("2001:db8:c0de:77::1f"), IPAddress.Parse("2001:db8:feed:beef:1234:5678:9abc:def0"),
    ];

    /// <summary>A positive control: this address is put into a URL path on purpose, so the scan must find it.</summary>
    private const string ControlIp = "192.0.2.201";

    [Fact]
    public async Task Client_addresses_appear_in_no_byte_of_the_data_files()
    {
        var app = new KestrelAppFactory { KeepDataDirectory = true };
        try
        {
            var http = app.CreateClient();
            await app.RegisterAsync("privacy.test");
            await app.RegisterAsync("cookieless.test", cookieless: true);

            foreach (var ip in Clients)
            {
                foreach (var site in new[] { "privacy.test", "cookieless.test" })
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, "/api/event")
                    {
                        Content = new StringContent($$"""{"name":"pageview","url":"https://{{site}}/","domain":"{{site}}","referrer":"https://www.google.com/"}""", Encoding.UTF8, "text/plain"),
                    };
                    request.Headers.TryAddWithoutValidation("User-Agent", Api.Chrome);
                    request.Headers.TryAddWithoutValidation("X-Forwarded-For", ip.ToString());
                    var response = await http.SendAsync(request);
                    Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                    Assert.False(response.Headers.Contains("X-Drop-Reason"));
                }
            }

            Assert.Equal(HttpStatusCode.Accepted, (await http.PostEventAsync($$"""{"name":"pageview","url":"https://privacy.test/control-{{ControlIp}}","domain":"privacy.test"}""")).StatusCode);

            // One visitor per address on the cookieless site: the forwarded address was used (then hashed), not the proxy's.
            await Poll.UntilAsync(
                async () => (await http.QueryAsync(new { site_id = "cookieless.test", metrics = new[] { "visitors", "pageviews" }, date_range = "day" })).Metrics(),
                m => m.SequenceEqual([Clients.Length, Clients.Length]), TimeSpan.FromSeconds(30), "one cookieless visitor per address");
            await http.WaitForPageviewsAsync("privacy.test", Clients.Length + 1);

            AssertNoAddressIn(app.DataDirectory, "while running");
            await app.DisposeAsync();
            AssertNoAddressIn(app.DataDirectory, "after a graceful stop");
        }
        finally
        {
            await app.DisposeAsync();
            try
            {
                Directory.Delete(app.DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // In the temp folder; not worth failing for.
            }
        }
    }

    private static void AssertNoAddressIn(string directory, string when)
    {
        var contents = DataFiles.ReadAll(directory);

        Assert.True(contents.Values.Any(bytes => DataFiles.Contains(bytes, Encoding.UTF8.GetBytes(ControlIp))), $"the scan did not find the control address {when}: it cannot see the stored text");
        foreach (var ip in Clients)
        {
            foreach (var (form, pattern) in Forms(ip))
            {
                foreach (var (file, bytes) in contents)
                {
                    Assert.False(DataFiles.Contains(bytes, pattern), $"{ip} ({form}) is in {file} {when}");
                }
            }
        }
    }

    private static IEnumerable<(string Form, byte[] Pattern)> Forms(IPAddress ip)
    {
        var texts = new HashSet<string> { ip.ToString() };
        if (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var bytes = ip.GetAddressBytes();
            texts.Add(string.Join(':', Enumerable.Range(0, 8).Select(i => $"{bytes[2 * i]:x2}{bytes[2 * i + 1]:x2}")));
            texts.Add(string.Join(':', Enumerable.Range(0, 8).Select(i => $"{bytes[2 * i]:X2}{bytes[2 * i + 1]:X2}")));
            texts.Add(ip.ToString().ToUpperInvariant());
        }

        foreach (var text in texts)
        {
            yield return ("text utf-8 " + text, Encoding.UTF8.GetBytes(text));
            yield return ("text utf-16 " + text, Encoding.Unicode.GetBytes(text));
        }

        yield return ("binary", ip.GetAddressBytes());
    }
}
