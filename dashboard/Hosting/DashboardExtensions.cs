using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;
using Orleans.Dashboard;

namespace Analytics.Dashboard.Hosting;

public static class DashboardExtensions
{
    public const string Path = "/dashboard";

    /// <summary>Where the Orleans Dashboard (cluster view: silos, grains, calls) is mounted.</summary>
    public const string OrleansPath = "/orleans";

    private const string ResourcePrefix = "dashboard/";

    /// <summary>Adds the Orleans Dashboard's collectors to the silo this process hosts.</summary>
    public static WebApplicationBuilder AddAnalyticsDashboard(this WebApplicationBuilder builder)
    {
        // UseOrleans hands back the silo builder AddEmbeddedSilo already configured.
        builder.UseOrleans(silo => silo.AddDashboard());
        return builder;
    }

    /// <summary>
    /// Serves the dashboard (static files embedded in this assembly; the page reads only the public query API) at
    /// /dashboard, sends / there, and mounts the Orleans Dashboard at /orleans.
    /// </summary>
    public static WebApplication MapAnalyticsDashboard(this WebApplication app)
    {
        app.MapDashboardPage();
        app.MapOrleansDashboard(routePrefix: OrleansPath);
        return app;
    }

    /// <summary>The page alone (no Orleans Dashboard): /dashboard and its assets, and / sent there.</summary>
    public static IEndpointRouteBuilder MapDashboardPage(this IEndpointRouteBuilder app)
    {
        var assets = LoadAssets();
        app.MapGet("/", () => TypedResults.Redirect(Path + "/")).ExcludeFromDescription();
        app.MapGet(Path, (HttpContext http) => Serve(http, assets, "index.html")).ExcludeFromDescription();
        app.MapGet(Path + "/{**file}", (HttpContext http, string? file) => Serve(http, assets, string.IsNullOrEmpty(file) ? "index.html" : file))
            .ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext http, FrozenDictionary<string, Asset> assets, string file)
    {
        if (!assets.TryGetValue(file, out var asset))
        {
            return TypedResults.NotFound();
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

        if (!assets.ContainsKey("index.html"))
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
