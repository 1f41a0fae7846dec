namespace Analytics.Gateway.Access;

public static class SessionIgnoredExtensions
{
    /// <summary>Marks ingestion endpoints: no CSRF check for a session cookie they do not use (see <see cref="SessionIgnored"/>).</summary>
    public static TBuilder IgnoreSession<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(SessionIgnored.Instance);
}
