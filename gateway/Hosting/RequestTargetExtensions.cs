using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;

namespace Analytics.Gateway.Hosting;

public static class RequestTargetExtensions
{
    /// <summary>Where the trusted proxies are listed (also the proxies whose X-Forwarded-For is believed).</summary>
    public const string TrustedProxiesKey = "Analytics:Ingestion:TrustedProxies";

    /// <summary>
    /// The request's scheme from <c>X-Forwarded-Proto</c>, believed only from a peer listed in
    /// <see cref="TrustedProxiesKey"/> (none by default): behind a TLS-terminating proxy the session cookie is then
    /// <c>Secure</c>, and nobody else can claim HTTPS. Client addresses stay with <see cref="Ingestion.ClientIpResolver"/>.
    /// </summary>
    public static IApplicationBuilder UseTrustedForwardedProto(this IApplicationBuilder app, IConfiguration configuration)
    {
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedProto, ForwardLimit = 1 };
        // The middleware trusts loopback unless told otherwise: only the configured proxies count.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in configuration.GetSection(TrustedProxiesKey).Get<string[]>() ?? [])
        {
            options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        }

        return app.UseForwardedHeaders(options);
    }

    /// <summary>
    /// Refuses a request whose target has a "." or ".." segment (also percent-encoded) with a 400 problem. The server
    /// would otherwise resolve them before routing, so that DELETE /api/sites/x/shared-links/.. meant DELETE /api/sites/x:
    /// what a request does is decided by its routes, never by path normalisation.
    /// </summary>
    public static IApplicationBuilder UseNoDotSegments(this IApplicationBuilder app) => app.Use((http, next) =>
        HasDotSegment(http.Features.Get<IHttpRequestFeature>()?.RawTarget)
            ? Results.Problem("The request path has a '.' or '..' segment; send the path it means.",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid path").ExecuteAsync(http)
            : next(http));

    /// <summary>Whether the path of a request target has a "." or ".." segment, also percent-encoded; allocates only for a short segment with a '%'.</summary>
    private static bool HasDotSegment(string? target)
    {
        var path = target.AsSpan();
        var query = path.IndexOf('?');
        if (query >= 0)
        {
            path = path[..query];
        }

        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            if (segment.Length is > 0 and <= 6
                && (segment is "." or ".." || segment.Contains('%') && Uri.UnescapeDataString(segment.ToString()) is "." or ".."))
            {
                return true;
            }
        }

        return false;
    }
}
