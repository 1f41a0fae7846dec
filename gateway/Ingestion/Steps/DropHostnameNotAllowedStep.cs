using Analytics.Gateway.Enrichment;

namespace Analytics.Gateway.Ingestion.Steps;

/// <summary>
/// With an allow-list, only pages on those hostnames count ("*.example.com" allows subdomains); without one, any
/// hostname does, as in Plausible, so a site can be tried from localhost before it is configured.
/// </summary>
public sealed class DropHostnameNotAllowedStep : IIngestionStep
{
    public string Name => "drop_hostname_not_allowed";

    public ValueTask<DropReason?> RunAsync(IngestionContext context, CancellationToken cancellationToken)
    {
        var allowed = context.Site!.AllowedHostnames;
        var hostname = context.Url!.Hostname;
        var ok = allowed.Count == 0 || allowed.Any(pattern => IsMatch(pattern, hostname));
        return ValueTask.FromResult<DropReason?>(ok ? null : DropReason.HostnameNotAllowed);
    }

    public static bool IsMatch(string pattern, string hostname)
    {
        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            var parent = UrlText.NormalizeHost(pattern[2..]);
            return hostname.Equals(parent, StringComparison.OrdinalIgnoreCase)
                || hostname.EndsWith("." + parent, StringComparison.OrdinalIgnoreCase);
        }

        // Page hostnames arrive without "www." (put_url normalizes them), so an allowed "www.example.com" must too.
        return hostname.Equals(UrlText.NormalizeHost(pattern), StringComparison.OrdinalIgnoreCase);
    }
}
