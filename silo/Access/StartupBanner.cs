using System.Text;

namespace Analytics.Silo.Access;

/// <summary>The one block the embedded host prints when it is ready: where to go, who to log in as, where the data is.</summary>
public static class StartupBanner
{
    public static string Format(string url, string adminEmail, string? generatedPassword, string dataDirectory)
    {
        var text = new StringBuilder();
        text.AppendLine("Analytics Grid is ready (embedded profile).");
        text.AppendLine($"  URL:            {url}");
        text.AppendLine($"  Dashboard:      {url}/dashboard");
        text.AppendLine($"  API reference:  {url}/scalar");
        text.AppendLine($"  Admin account:  {adminEmail}");
        if (generatedPassword is not null)
        {
            text.AppendLine($"  Password:       {generatedPassword}");
            text.AppendLine("                  (generated on this first start and shown only now: only its hash is kept;");
            text.AppendLine("                   set Analytics:Auth:Admin:Password or PasswordHash to choose your own)");
        }

        text.Append($"  Data directory: {dataDirectory}");
        return text.ToString();
    }

    /// <summary>A wildcard listen address (http://+:5080, http://[::]:5080) shown as something a browser can open.</summary>
    public static string Browsable(string address)
    {
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "localhost";
        }

        return uri.Uri.GetLeftPart(UriPartial.Authority);
    }
}
