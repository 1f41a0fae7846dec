using System.Collections.Concurrent;
using System.Text;
using Analytics.Bench.Infra;
using Analytics.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Analytics.Bench.Tests;

/// <summary>The load generator against a real Kestrel: what it sends, and which answers count as accepted.</summary>
public sealed class LoadRunnerTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Body, string UserAgent, string ForwardedFor, string ContentType, int Connection)> _received = new();
    private readonly ConcurrentDictionary<string, int> _connections = new();
    private int _opened = -1;
    private WebApplication? _app;
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _app = builder.Build();
        _app.MapPost("/base/api/event", async (HttpContext http) =>
        {
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
            var connection = _connections.GetOrAdd(http.Connection.Id, _ => Interlocked.Increment(ref _opened));
            _received.Enqueue((body, http.Request.Headers.UserAgent.ToString(), http.Request.Headers["X-Forwarded-For"].ToString(), http.Request.ContentType ?? "", connection));
            switch (body)
            {
                case "bad":
                    // A problem answer of unknown length: Kestrel sends it chunked.
                    return Results.Problem("bad beacon", statusCode: StatusCodes.Status400BadRequest);
                case "close":
                    http.Response.Headers.Connection = "close";
                    return Results.StatusCode(StatusCodes.Status202Accepted);
                case "drop":
                    // Kept alive by its answer, then closed by the server before the next request, as an idle timeout does.
                    http.Response.OnCompleted(() =>
                    {
                        http.Features.Get<IConnectionLifetimeNotificationFeature>()!.RequestClose();
                        return Task.CompletedTask;
                    });
                    return Results.Text("ok", statusCode: StatusCodes.Status202Accepted);
                case "big":
                    // Larger than the generator's first answer buffer: read over several receives.
                    return Results.Text(new string('x', 100_000), statusCode: StatusCodes.Status202Accepted);
                default:
                    return Results.Text("ok", statusCode: StatusCodes.Status202Accepted);
            }
        });
        await _app.StartAsync();
        _base = new Uri($"http://127.0.0.1:{port}/base/");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Beacons_go_out_with_their_headers_and_body_and_only_a_202_counts_as_accepted()
    {
        using var load = new LoadRunner(_base);
        var good = new LoadRunner.PreparedBeacon(Encoding.UTF8.GetBytes("{\"n\":\"pageview\",\"u\":\"https://a.test/é\"}"), "Mozilla/5.0 (X11; Linux x86_64)", "203.0.113.9");

        Assert.True(await load.SendAsync(good));
        Assert.False(await load.SendAsync(good with { Body = "bad"u8.ToArray() }));
        Assert.True(await load.SendAsync(good));

        Assert.Equal(
            [
                ("{\"n\":\"pageview\",\"u\":\"https://a.test/é\"}", "Mozilla/5.0 (X11; Linux x86_64)", "203.0.113.9", "text/plain", 0),
                ("bad", "Mozilla/5.0 (X11; Linux x86_64)", "203.0.113.9", "text/plain", 0),
                ("{\"n\":\"pageview\",\"u\":\"https://a.test/é\"}", "Mozilla/5.0 (X11; Linux x86_64)", "203.0.113.9", "text/plain", 0),
            ],
            _received);
    }

    [Fact]
    public async Task A_connection_the_server_closes_is_replaced_and_senders_at_once_are_all_answered()
    {
        using var load = new LoadRunner(_base);
        var beacon = new LoadRunner.PreparedBeacon("close"u8.ToArray(), "ua", "192.0.2.1");

        Assert.True(await load.SendAsync(beacon));
        Assert.True(await load.SendAsync(beacon with { Body = "drop"u8.ToArray() }));
        Assert.True(await load.SendAsync(beacon with { Body = "after"u8.ToArray() }));
        var together = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => load.SendAsync(beacon with { Body = "x"u8.ToArray() }))));

        Assert.All(together, Assert.True);
        Assert.Equal(["close", "drop", "after"], _received.Take(3).Select(r => r.Body));
        Assert.Equal([0, 1, 2], _received.Take(3).Select(r => r.Connection));
        Assert.Equal(11, _received.Count);
    }

    [Fact]
    public async Task An_answer_longer_than_the_first_buffer_is_read_to_its_end_and_the_connection_kept()
    {
        using var load = new LoadRunner(_base);
        var beacon = new LoadRunner.PreparedBeacon("big"u8.ToArray(), "ua", "192.0.2.1");

        Assert.True(await load.SendAsync(beacon));
        Assert.True(await load.SendAsync(beacon with { Body = "small"u8.ToArray() }));

        Assert.Equal([0, 0], _received.Select(r => r.Connection));
    }

    [Fact]
    public async Task A_server_that_is_not_there_is_a_failed_request()
    {
        using var load = new LoadRunner(new Uri($"http://127.0.0.1:{FreePort.Next()}/"));

        await Assert.ThrowsAsync<HttpRequestException>(() => load.SendAsync(new LoadRunner.PreparedBeacon("x"u8.ToArray(), "ua", "192.0.2.1")));
    }
}
