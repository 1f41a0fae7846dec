using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Analytics.Tests.Abuse;

/// <summary>Kestrel's configured limits and raw protocol abuse, on a real socket; the host answers 4xx and stays up.</summary>
public sealed class KestrelLimitTests(KestrelAppFactory app) : IClassFixture<KestrelAppFactory>
{
    /// <summary>Sends raw bytes and returns the status code of the answer (0 if the server closed without one).</summary>
    private async Task<int> SendRawAsync(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, app.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        var buffer = new byte[256];
        var read = 0;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (read < 12 && await stream.ReadAsync(buffer.AsMemory(read), timeout.Token) is var n and > 0)
            {
                read += n;
            }
        }
        catch (IOException)
        {
            // A reset after the answer was written is fine: what was read is the answer.
        }

        var line = Encoding.Latin1.GetString(buffer, 0, read);
        return line.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(9, 3), out var status) ? status : 0;
    }

    private async Task AssertUpAsync()
    {
        _ = app.Services; // the host is built and started
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/health")).StatusCode);
    }

    private const string Beacon = """{"n":"pageview","u":"https://wire.test/","d":"wire.test"}""";

    public static TheoryData<string, int> RawRequests => new()
    {
        // CR or LF inside a header value: request smuggling / header injection.
        { $"POST /api/event HTTP/1.1\r\nHost: x\r\nUser-Agent: Mozilla\rX-Injected: 1\r\nContent-Length: {Beacon.Length}\r\n\r\n{Beacon}", 400 },
        // A bare LF ends a header line (RFC 9112 §2.2 lets a server accept it): two harmless headers, and the site is unknown.
        { $"POST /api/event HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 1.2.3.4\nX-Injected: 1\r\nContent-Length: {Beacon.Length}\r\n\r\n{Beacon}", 202 },
        // NUL and CR/LF percent-encoded in the path.
        { "GET /api/sites/%00 HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { $"GET /api/sites/a%0d%0aX-Injected:%201 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {Analytics.Testing.TestCredentials.ApiKey}\r\n\r\n", 404 },
        { $"POST /api/event HTTP/1.1\r\nHost: x\r\nUser-Agent: a\0b\r\nContent-Length: {Beacon.Length}\r\n\r\n{Beacon}", 400 },
        // Enormous header, too many headers, an enormous request line.
        { $"POST /api/event HTTP/1.1\r\nHost: x\r\nUser-Agent: {new string('a', KestrelAppFactory.MaxHeadersBytes * 2)}\r\nContent-Length: 2\r\n\r\n{{}}", 431 },
        { $"GET /health HTTP/1.1\r\nHost: x\r\n{string.Concat(Enumerable.Range(0, KestrelAppFactory.MaxHeaderCount + 5).Select(i => $"X-H{i}: 1\r\n"))}\r\n", 431 },
        { $"GET /api/sites/{new string('a', KestrelAppFactory.MaxRequestLineBytes * 2)} HTTP/1.1\r\nHost: x\r\n\r\n", 414 },
        // Conflicting framing and garbage.
        { $"POST /api/event HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n{Beacon}", 400 },
        { "POST /api/event HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400 },
        { "GARBAGE\r\n\r\n", 400 },
        { "GET / HTTP/9.9\r\nHost: x\r\n\r\n", 505 },
    };

    [Theory]
    [MemberData(nameof(RawRequests))]
    public async Task Raw_protocol_abuse_is_refused_by_the_server_and_the_host_stays_up(string request, int expected)
    {
        _ = app.CreateClient();
        Assert.Equal(expected, await SendRawAsync(request));
        await AssertUpAsync();
    }

    [Theory]
    [InlineData("/api/sites")]
    [InlineData("/api/v2/query")]
    public async Task Bodies_over_the_server_limit_get_413_problem_details(string path)
    {
        var http = app.CreateClient();
        var body = "{\"site_id\":\"" + new string('x', KestrelAppFactory.MaxBodyBytes * 2) + "\"}";

        // Declared length over the limit, and a chunked body (no length) that grows past it.
        var declared = await http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var chunked = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))) };
        chunked.Content.Headers.ContentType = new("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        var streamed = await http.SendAsync(chunked);

        foreach (var response in new[] { declared, streamed })
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(413, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
        }

        await AssertUpAsync();
    }
}
