using System.Reflection;

namespace Analytics.Dashboard.Hosting;

public static class DashboardExtensions
{
    public const string Path = "/dashboard";

    public static IServiceCollection AddAnalyticsDashboard(this IServiceCollection services) => services;

    /// <summary>Serves the dashboard page at /dashboard (it reads only the public query API) and sends / there.</summary>
    public static WebApplication MapAnalyticsDashboard(this WebApplication app)
    {
        var page = ReadPage();
        app.MapGet("/", () => TypedResults.Redirect(Path)).ExcludeFromDescription();
        app.MapGet(Path, () => TypedResults.Content(page, "text/html; charset=utf-8")).ExcludeFromDescription();
        return app;
    }

    private static string ReadPage()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Analytics.Dashboard.index.html")
            ?? throw new InvalidOperationException("The dashboard page is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
