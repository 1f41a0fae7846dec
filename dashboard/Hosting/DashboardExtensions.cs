using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Analytics.Gateway.Access;
using Analytics.Gateway.Api;
using Microsoft.Net.Http.Headers;
using Orleans.Dashboard;

namespace Analytics.Dashboard.Hosting;

public static class DashboardExtensions
{
    public const string Path = "/dashboard";

    /// <summary>Where the Orleans Dashboard (cluster view: silos, grains, calls) is mounted.</summary>
    public const string OrleansPath = "/orleans";

    private const string ResourcePrefix = "dashboard/";

    private const string Page = "index.html";

    /// <summary>Adds the Orleans Dashboard's collectors to the silo this process hosts.</summary>
    public static WebApplicationBuilder AddAnalyticsDashboard(this WebApplicationBuilder builder)
    {
        // UseOrleans hands back the silo builder AddEmbeddedSilo already configured.
        builder.UseOrleans(silo => silo.AddDashboard());
        return builder;
    }

    /// <summary>
    /// Serves the dashboard (static files embedded in this assembly; the page reads only the public query API) at
    /// /dashboard behind the login, sends / there, and mounts the Orleans Dashboard at /orleans behind the same login.
    /// The host has already added the access middleware (the gateway's MapAnalyticsGateway).
    /// </summary>
    public static WebApplication MapAnalyticsDashboard(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.MapDashboardPage();
        app.MapOrleansDashboard(routePrefix: OrleansPath).RequireAuthorization(AccessPolicies.Dashboard).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// The page alone (no Orleans Dashboard): /dashboard (logged-in admins) and its assets, /share/{slug} (the same page,
    /// public and read-only: the slug is its credential for one site), / sent to /dashboard, and /login, /logout.
    /// </summary>
    public static IEndpointRouteBuilder MapDashboardPage(this IEndpointRouteBuilder app)
    {
        var assets = LoadAssets();
        app.MapGet("/", () => TypedResults.Redirect(Path + "/")).ExcludeFromDescription();
        app.MapGet(Path, (HttpContext http) => Serve(http, assets, Page)).ExcludeFromDescription().RequireAuthorization(AccessPolicies.Dashboard);
        // Scripts and styles carry no data; the share view loads them without a session.
        app.MapGet(Path + "/{**file}", (HttpContext http, string file) => file == Page && !http.User.IsCookieSession()
            ? Results.Challenge(authenticationSchemes: [AccessSchemes.Cookie])
            : Serve(http, assets, file)).ExcludeFromDescription();
        app.MapGet(ShareLinksApi.PagePath + "{slug}", (HttpContext http) => Serve(http, assets, Page)).ExcludeFromDescription();
        app.MapLogin();
        return app;
    }

    private static IResult Serve(HttpContext http, FrozenDictionary<string, Asset> assets, string file)
    {
        if (!assets.TryGetValue(file, out var asset))
        {
            return TypedResults.NotFound();
        }

        if (file == Page && http.User.IsCookieSession())
        {
            CsrfProtection.IssueToken(http);
        }

        // Revalidate every time (cheap: a 304 by ETag) so a new build is never hidden behind a stale cache.
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        if (http.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            http.Response.Headers.ETag = asset.ETag;
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(asset.Content, asset.ContentType, entityTag: new EntityTagHeaderValue(asset.ETag));
    }

    private static FrozenDictionary<string, Asset> LoadAssets()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"";
            assets[name[ResourcePrefix.Length..].Replace('\\', '/')] = new Asset(content, ContentType(name), etag);
        }

        if (!assets.ContainsKey(Page))
        {
            throw new InvalidOperationException("The dashboard page is not embedded.");
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string name) => System.IO.Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Content, string ContentType, string ETag);
}
