using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Analytics.Testing;

namespace Analytics.Tests.Functional;

/// <summary>
/// The embedded host as a real process started from a folder that is not its own, with a relative data directory: it
/// finds its settings, says where everything is in one block, and stays quiet (no per-request lines, no errors for
/// requests the client abandoned).
/// </summary>
public sealed class StartupTests : IAsyncLifetime
{
    private readonly string _elsewhere = Directory.CreateTempSubdirectory("analytics-cwd-").FullName;
    private readonly string _dataName = "data-" + Guid.NewGuid().ToString("N")[..8];
    private AnalyticsProcess _silo = null!;

    private string DataDirectory => Path.Combine(Path.GetDirectoryName(AnalyticsProcess.SiloDll)!, _dataName);

    public async Task InitializeAsync()
    {
        // No admin password configured, as on a new install: the block shows the generated one.
        _silo = AnalyticsProcess.Embedded(_dataName, new Dictionary<string, string>
        {
            ["Analytics__Auth__Admin__Password"] = "",
            // To see that the refused requests below reached the server (and were answered quietly).
            ["Logging__LogLevel__Analytics.Gateway.Api.ClientRequestExceptionHandler"] = "Debug",
            ["Logging__LogLevel__Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware"] = "Debug",
        });
        _silo.WorkingDirectory = _elsewhere;
        await _silo.StartAsync(TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task Started_elsewhere_it_finds_its_settings_prints_one_block_and_logs_no_request_noise()
    {
        using var http = _silo.CreateClient();

        // appsettings.json next to the dll was read (its demo site), and the relative data directory is under the app's folder.
        await Poll.UntilAsync(async () => await http.GetFromJsonAsync<string[]>("/api/sites") ?? [], s => s.Contains("localhost"),
            TimeSpan.FromSeconds(30), "the demo site of appsettings.json");
        var block = await Poll.UntilAsync(() => Task.FromResult(_silo.Output), o => o.Contains("Data directory:", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the start-up block");
        Assert.Contains("Analytics Grid is ready", block, StringComparison.Ordinal);
        Assert.Contains($"Dashboard:      {_silo.BaseUrl.TrimEnd('/')}/dashboard", block, StringComparison.Ordinal);
        Assert.Matches(@"Password:\s+\S{20,}", block);
        Assert.Contains($"Data directory: {DataDirectory}", block, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(DataDirectory, "grains.db")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_elsewhere));

        // Ordinary requests write nothing; bodies the client abandons half-way are its business, not server errors.
        var before = _silo.Lines().Count;
        for (var i = 0; i < 50; i++)
        {
            (await http.GetAsync("/api/sites")).EnsureSuccessStatusCode();
        }

        // A body over the server's limit (chunked, so only the server's reading finds out): a 413, no error.
        var huge = new HttpRequestMessage(HttpMethod.Post, "/api/v2/query") { Content = new StreamContent(new MemoryStream(new byte[2 * 1024 * 1024])) };
        huge.Content.Headers.ContentType = new("application/json");
        huge.Headers.TransferEncodingChunked = true;
        Assert.Equal(System.Net.HttpStatusCode.RequestEntityTooLarge, (await http.SendAsync(huge)).StatusCode);

        // Bodies abandoned half-way (a cancelled fetch) on the endpoints that read their body themselves: the server
        // notices either while reading or as an abort.
        foreach (var path in new[] { "/api/v2/query", "/api/event" })
        {
            await AbandonBodyAsync(path);
        }

        var refused = await Poll.UntilAsync(
            () => Task.FromResult(_silo.Lines().Skip(before).Where(l => l.Contains("could not be read", StringComparison.Ordinal) || l.Contains("aborted by the client", StringComparison.Ordinal)).ToList()),
            l => l.Count == 3, TimeSpan.FromSeconds(30), "the three refused requests to be answered");
        Assert.Contains(refused, l => l.Contains("/api/v2/query could not be read (413)", StringComparison.Ordinal));
        (await http.GetAsync("/health")).EnsureSuccessStatusCode();
        var lines = _silo.Lines().Skip(before).ToList();
        Assert.DoesNotContain(lines, l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("info: Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    /// <summary>Announces a 500-byte JSON body, sends part of it and hangs up, as a cancelled fetch does.</summary>
    private async Task AbandonBodyAsync(string path)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _silo.Port);
        var stream = client.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TestCredentials.ApiKey}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{{\"site_id\":\"localhost\",";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.FlushAsync();
        client.Client.Shutdown(SocketShutdown.Both);
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_elsewhere, recursive: true);
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
