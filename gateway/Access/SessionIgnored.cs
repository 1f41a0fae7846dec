namespace Analytics.Gateway.Access;

/// <summary>
/// Endpoint metadata: the endpoint takes anonymous traffic from any page and never looks at the dashboard session, so
/// neither authentication nor the CSRF check runs for it. A site owner browsing their own site while logged in (same host
/// as the dashboard) sends the session cookie with every beacon; those beacons must count like anyone else's.
/// </summary>
public sealed class SessionIgnored
{
    public static readonly SessionIgnored Instance = new();

    /// <summary>Whether the request's endpoint (routing has run) is marked.</summary>
    public static bool Applies(HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<SessionIgnored>() is not null;

    private SessionIgnored()
    {
    }
}
