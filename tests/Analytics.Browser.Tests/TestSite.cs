using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Analytics.Gateway.Tracker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Analytics.Browser.Tests;

/// <summary>
/// Kestrel on 127.0.0.1 with a random port: test pages under /t/{id}/..., the minified
/// tracker at /js/script.js and a recording POST /api/event. Every test uses its own id so
/// late beacons from another test (e.g. pagehide on context close) never leak into its asserts.
/// </summary>
public sealed class TestSite : IAsyncDisposable
{
    /// <summary>Host name that Chromium maps to 127.0.0.1, so "outbound" links stay on loopback.</summary>
    public const string OutboundHost = "outbound.test";

    private readonly ConcurrentQueue<Beacon> _beacons = new();
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    public int Port { get; private set; }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();

        _app.MapGet("/js/{file}", (string file) => TrackerScript.ForFile(file) is { } script
            ? Results.Content(script.Minified, "application/javascript")
            : Results.NotFound());
        _app.MapPost("/api/event", async (HttpContext context) =>
        {
            var request = context.Request;
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            using var document = JsonDocument.Parse(body);
            var beacon = new Beacon(body, request.ContentType, document.RootElement.Clone());
            _beacons.Enqueue(beacon);
            // As the gateway answers: a site that uses cookies confirms the tracker's id; "sitecookieless=1" in the page
            // URL stands for a site whose server-side setting is cookieless.
            if (beacon.Has("vid") && beacon.Url?.Contains("sitecookieless=1", StringComparison.Ordinal) != true)
            {
                context.Response.Headers["X-Visitor-Cookie"] = "1";
            }

            return Results.StatusCode(StatusCodes.Status202Accepted);
        });
        _app.MapGet("/t/{id}/{**rest}", (string id, HttpRequest request) =>
            Results.Content(Page(id, request.Query, request.QueryString.Value ?? ""), "text/html; charset=utf-8"));
        // Plausible's official npm tracker, as npm ci installed it (copied beside the tests), and a page that runs it.
        _app.MapGet("/npm/plausible.js", () => Results.File(Path.Combine(AppContext.BaseDirectory, "npm", "plausible.js"), "text/javascript"));
        _app.MapGet("/p/{id}/{**rest}", (string id, string domain, string endpoint) =>
            Results.Content(NpmTrackerPage(id, domain, endpoint), "text/html; charset=utf-8"));
        _app.MapGet("/files/{name}", (string name) =>
            Results.File(Encoding.UTF8.GetBytes("not really a pdf"), "application/octet-stream", name));
        _app.MapGet("/landing", () => Results.Content("<!doctype html><title>Landing</title><h1>Landed</h1>", "text/html"));

        await _app.StartAsync();
        BaseUrl = _app.Urls.Single().TrimEnd('/');
        Port = new Uri(BaseUrl).Port;
    }

    /// <summary>Beacons whose page URL belongs to one test.</summary>
    public IReadOnlyList<Beacon> For(string id) =>
        _beacons.Where(b => b.Url is { } url && url.Contains($"/t/{id}/", StringComparison.Ordinal)).ToList();

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>The usage the package's README shows (init, then track), with the documented options; the module untouched.</summary>
    private string NpmTrackerPage(string id, string domain, string endpoint)
    {
        var config = JsonSerializer.Serialize(new { domain, endpoint, captureOnLocalhost = true, outboundLinks = true, fileDownloads = true });
        return $$"""
            <!doctype html>
            <html>
            <head>
            <meta charset="utf-8">
            <title>Plausible npm tracker test</title>
            <script type="module">
              import { init, track } from '/npm/plausible.js';
              init({{config}});
              window.track = track;
              window.__ready = true;
            </script>
            </head>
            <body>
            <h1>Plausible npm tracker test {{id}}</h1>
            <a id="outbound" href="http://{{OutboundHost}}:{{Port}}/landing" target="_blank">Outbound link</a>
            </body>
            </html>
            """;
    }

    private string Page(string id, IQueryCollection query, string queryString)
    {
        // Query flags pick the tracker mode so one route covers every scenario.
        var attributes = new StringBuilder("data-domain=\"test.local\"");
        if (query["api"] != "0")
        {
            attributes.Append($" data-api=\"{BaseUrl}/api/event\"");
        }

        if (query["cookieless"] == "1")
        {
            attributes.Append(" data-cookieless=\"true\"");
        }

        if (query["hash"] == "1")
        {
            attributes.Append(" data-hash");
        }

        if (query["exclude"] is [{ } exclude])
        {
            attributes.Append($" data-exclude=\"{WebUtility.HtmlEncode(exclude)}\"");
        }

        if (query["props"] == "1")
        {
            attributes.Append(" event-author=\"Jane Doe\" event-section=\"news\"");
        }

        var stub = query["queue"] == "1"
            ? "<script>window.analytics = window.analytics || function () { (window.analytics.q = window.analytics.q || []).push(arguments) };"
              + "analytics('event', 'Queued', { props: { early: 'yes' } });</script>"
            : "";
        if (query["pqueue"] == "1")
        {
            // Plausible's documented snippet, and its 404 tracking call, before the script has loaded.
            stub += "<script>window.plausible = window.plausible || function() { (window.plausible.q = window.plausible.q || []).push(arguments) };"
              + "plausible('404', { props: { path: document.location.pathname } });</script>";
        }

        var script = query["script"] is [{ } file] ? file : "script.js";
        var encodedQuery = WebUtility.HtmlEncode(queryString);
        return $$"""
            <!doctype html>
            <html>
            <head>
            <meta charset="utf-8">
            <title>Analytics Grid tracker test</title>
            {{stub}}
            <script defer {{attributes}} src="{{BaseUrl}}/js/{{script}}"></script>
            <style>body { font-family: sans-serif; margin: 2em; } a { display: block; margin: .5em 0; }</style>
            </head>
            <body>
            <h1>Analytics Grid tracker test</h1>
            <p>Test id {{id}}</p>
            <a id="next" href="/t/{{id}}/second{{encodedQuery}}">Second page</a>
            <a id="download" href="/files/report.pdf?token=secret">Download report (PDF)</a>
            <a id="outbound" href="http://{{OutboundHost}}:{{Port}}/landing">Outbound link</a>
            <button id="tagged" class="cta plausible-event-name=Buy+Now plausible-event-plan=pro plausible-revenue-amount=9.5 plausible-revenue-currency=EUR"><span id="tagged-inner">Buy</span></button>
            <button id="plain">Not tagged</button>
            <form id="tagged-form" class="plausible-event-name=Newsletter" onsubmit="event.preventDefault()"><button id="tagged-submit">Subscribe</button></form>
            <form id="form" onsubmit="event.preventDefault()"><input name="email" required><button id="submit">Send</button></form>
            </body>
            </html>
            """;
    }
}
