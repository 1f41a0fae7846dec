using Analytics.GrainInterfaces.Sites;

namespace Analytics.Gateway.Sites;

/// <summary>Site settings as ingestion and queries need them: cached briefly, so beacons do not call a grain each.</summary>
public interface ISiteDirectory
{
    ValueTask<SiteSettings?> FindAsync(string domain, CancellationToken cancellationToken);

    /// <summary>Drops a cached entry after this gateway changed the site.</summary>
    void Invalidate(string domain);
}
