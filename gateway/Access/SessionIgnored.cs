namespace Analytics.Gateway.Access;

/// <summary>
/// Endpoint metadata: the endpoint takes anonymous traffic from any page and never looks at the dashboard session, so
/// the CSRF check does not apply. A site owner browsing their own site while logged in (same host as the dashboard)
/// sends the session cookie with every beacon; those beacons must count like anyone else's.
/// </summary>
public sealed class SessionIgnored
{
    public static readonly SessionIgnored Instance = new();

    private SessionIgnored()
    {
    }
}
