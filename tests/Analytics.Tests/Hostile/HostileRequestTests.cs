using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Analytics.Testing;
using Analytics.Tests.Functional;
using Analytics.Tests.Ga4;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Analytics.Tests.Hostile;

/// <summary>
/// Every public endpoint against a generated corpus of hostile requests, with known good traffic interleaved:
/// no answer is a 5xx, every 4xx is problem+json, successes are only the documented ones, the host stays up,
/// and the good traffic is counted exactly.
/// </summary>
public sealed class HostileRequestTests(HostileAppFactory app, ITestOutputHelper output) : IClassFixture<HostileAppFactory>
{
    private const string GoodSite = "good.test";
    private readonly ConcurrentBag<(TimeSpan Elapsed, string Request)> _timings = [];
    private static readonly TimeSpan PerRequest = TimeSpan.FromSeconds(15);
    private Ga4Client.Stream? _stream;

    [Fact]
    public async Task The_corpus_never_gets_a_5xx_and_good_traffic_in_between_is_counted_exactly()
    {
        _stream = await app.RegisterStreamAsync(HostileCorpus.Site, HostileCorpus.MeasurementId);
        await app.RegisterAsync(GoodSite);
        foreach (var (domain, timezone, _) in HostileClasses.ZoneSites)
        {
            await app.RegisterAsync(domain, timezone);
        }

        var corpus = HostileCorpus.Generate();
        output.WriteLine($"{corpus.Count} hostile requests: {HostileCorpus.Describe(corpus)}");
        Assert.True(corpus.Count > 1000, $"the corpus has only {corpus.Count} requests");

        // Good traffic: 6 visitors (cookie ids), pageviews over a few pages, and Signup goals; one good beacon every 7 hostile ones.
        var good = Enumerable.Range(0, corpus.Count / 7).Select(GoodBeacon).ToList();
        var expectedPageviews = good.Count(b => b.Pageview);
        var expectedSignups = good.Count(b => !b.Pageview);
        var expectedVisitors = good.Select(b => b.Visitor).Distinct().Count();

        var failures = new ConcurrentBag<string>();
        var work = corpus.Select((r, i) => (Hostile: r, Good: i % 7 == 6 ? good[i / 7] : null));
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (item, _) =>
        {
            if (await CheckAsync(item.Hostile) is { } failure)
            {
                failures.Add(failure);
            }

            if (item.Good is { } beacon)
            {
                var response = await SendAsync(new HostileRequest("good", "POST", "/api/event")
                {
                    Body = Encoding.UTF8.GetBytes(beacon.Json),
                    ContentType = "text/plain",
                    Headers = { ["User-Agent"] = Api.Chrome },
                });
                if (response.Response.StatusCode != StatusCodes.Status202Accepted || response.Response.Headers.ContainsKey("X-Drop-Reason"))
                {
                    failures.Add($"good beacon not accepted: {response.Response.StatusCode} {response.Response.Headers["X-Drop-Reason"]}");
                }
            }
        });

        foreach (var (elapsed, slow) in _timings.OrderByDescending(t => t.Elapsed).Take(8))
        {
            output.WriteLine($"{elapsed.TotalMilliseconds:0} ms {slow[..Math.Min(slow.Length, 160)]}");
        }

        Assert.True(failures.IsEmpty, $"{failures.Count} bad answers:\n" + string.Join("\n", failures.Take(60)));

        var health = await app.CreateClient().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        var http = app.CreateClient();
        await Poll.UntilAsync(
            async () =>
            {
                var totals = (await http.QueryAsync(new { site_id = GoodSite, metrics = new[] { "pageviews", "visitors" }, date_range = "day" })).Metrics();
                var goals = (await http.QueryAsync(new { site_id = GoodSite, metrics = new[] { "events" }, date_range = "day", dimensions = new[] { "event:name" } })).Rows();
                return (Pageviews: totals[0], Visitors: totals[1], Signups: goals.TryGetValue("Signup", out var s) ? s[0] : 0);
            },
            n => n == (expectedPageviews, expectedVisitors, expectedSignups),
            TimeSpan.FromSeconds(30),
            $"exactly {expectedPageviews} pageviews, {expectedVisitors} visitors, {expectedSignups} signups on {GoodSite}");
    }

    [Fact]
    public async Task Every_mapped_endpoint_answers_each_former_500_class_with_a_4xx_or_its_documented_success()
    {
        await app.RegisterAsync(HostileCorpus.Site);
        var endpoints = app.Services.GetRequiredService<IEnumerable<EndpointDataSource>>()
            .SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            // Not the third-party pages (Orleans Dashboard, OpenAPI document, Scalar): their answers are theirs.
            .Where(e => e.RoutePattern.RawText is { } raw && !new[] { "/orleans", "/openapi", "/scalar" }.Any(p => raw.StartsWith(p, StringComparison.Ordinal)))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, "/" + e.RoutePattern.RawText!.Trim('/'), e.Metadata.GetMetadata<Analytics.Gateway.Api.ValidatesOwnJson>() is not null)))
            .ToList();
        Assert.Contains(endpoints, e => e.Item2 == "/api/sites/{domain}/shared-links");
        var requests = HostileClasses.ForEndpoints(endpoints).ToList();
        output.WriteLine($"{endpoints.Count} endpoints, {requests.Count} requests");

        var failures = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, _) =>
        {
            if (await CheckAsync(request) is { } failure)
            {
                failures.Add(failure);
            }
        });
        Assert.True(failures.IsEmpty, $"{failures.Count} bad answers:\n" + string.Join("\n", failures.Take(60)));
    }

    [Fact]
    public void The_corpus_is_deterministic()
    {
        var first = HostileCorpus.Generate().Select(r => r.ToString()).ToList();
        var second = HostileCorpus.Generate().Select(r => r.ToString()).ToList();
        Assert.Equal(first, second);
    }

    private sealed record Good(string Json, bool Pageview, string Visitor);

    private static Good GoodBeacon(int i)
    {
        var visitor = $"good-visitor-{i % 6:00}";
        var pageview = i % 4 != 3;
        var name = pageview ? "pageview" : "Signup";
        return new Good($$"""{"n":"{{name}}","u":"https://{{GoodSite}}/page-{{i % 3}}","d":"{{GoodSite}}","r":null,"w":1280,"v":"{{visitor}}"}""", pageview, visitor);
    }

    private async Task<string?> CheckAsync(HostileRequest request)
    {
        HttpContext response;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            response = await SendAsync(request);
            _timings.Add((clock.Elapsed, request.ToString()));
        }
        catch (Exception ex)
        {
            return $"{request} → threw {ex.GetType().Name}: {ex.Message}";
        }

        var status = response.Response.StatusCode;
        var contentType = response.Response.ContentType ?? "";
        if (status >= 500)
        {
            return $"{request} → {status} {await BodyAsync(response)}";
        }

        if (status >= 400)
        {
            // The login form answers a browser's failed login with the form again (and its message), not a problem document.
            var loginPage = request.Path == "/login" && contentType.StartsWith("text/html", StringComparison.Ordinal);
            return request.Method != "HEAD" && !loginPage && !contentType.StartsWith("application/problem+json", StringComparison.Ordinal)
                ? $"{request} → {status} without problem+json ({contentType})"
                : null;
        }

        if (request.MustReject)
        {
            return $"{request} → {status}, expected a 4xx";
        }

        if (request.ExpectsValidationMessages && !(await BodyAsync(response)).Contains("\"validationMessages\":[{", StringComparison.Ordinal))
        {
            return $"{request} → {status} without a validation message";
        }

        var documented = (request.Method, request.Path) switch
        {
            ("POST", "/api/event") => status == StatusCodes.Status202Accepted,
            ("POST", "/api/keys") => status == StatusCodes.Status201Created,
            ("POST", var p) when p.EndsWith("/mp-secrets", StringComparison.Ordinal) => status == StatusCodes.Status201Created,
            // GA4's documented answers: 2xx whatever the payload.
            ("POST", "/mp/collect") => status == StatusCodes.Status204NoContent,
            ("GET" or "POST", "/g/collect") => status == StatusCodes.Status204NoContent,
            ("POST", "/logout") => status == StatusCodes.Status302Found,
            ("GET" or "HEAD", "/" or "/dashboard") => status == StatusCodes.Status302Found, // to the dashboard, or its login
            ("GET" or "HEAD", "/js/script.js") => status is StatusCodes.Status200OK or StatusCodes.Status304NotModified,
            ("OPTIONS", _) => status == StatusCodes.Status204NoContent,
            ("GET" or "HEAD" or "POST", _) => status == StatusCodes.Status200OK,
            _ => false,
        };
        return documented ? null : $"{request} → undocumented {status}";
    }

    private async Task<HttpContext> SendAsync(HostileRequest request)
    {
        using var timeout = new CancellationTokenSource(PerRequest);
        return await app.Server.SendAsync(context =>
        {
            var r = context.Request;
            r.Method = request.Method;
            r.Path = request.Path;
            // Only the corpus test registers the GA4 stream whose secret a request may name.
            r.QueryString = new QueryString(request.Query is { } query && query.Contains(HostileCorpus.SecretPlaceholder, StringComparison.Ordinal)
                ? query.Replace(HostileCorpus.SecretPlaceholder, Uri.EscapeDataString(_stream!.ApiSecret), StringComparison.Ordinal)
                : request.Query);
            context.Connection.RemoteIpAddress = request.RemoteIp;
            // The test key, so the corpus reaches the parsers behind authentication; a request may bring its own (or none: "").
            r.Headers.Authorization = "Bearer " + TestCredentials.ApiKey;
            foreach (var (name, value) in request.Headers)
            {
                r.Headers[name] = value;
            }

            if (r.Headers.Authorization == "")
            {
                r.Headers.Remove("Authorization");
            }

            if (request.ContentType is not null)
            {
                r.ContentType = request.ContentType;
            }

            if (request.Body is not null)
            {
                r.Body = new MemoryStream(request.Body);
                if (!request.Headers.ContainsKey("Content-Length"))
                {
                    r.ContentLength = request.Body.Length;
                }
            }
        }, timeout.Token);
    }

    private static async Task<string> BodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Response.Body);
        var text = await reader.ReadToEndAsync();
        return text.Length > 400 ? text[..400] : text;
    }
}
