namespace Analytics.Cql.Errors;

/// <summary>Authentication failed (0x0100).</summary>
[GenerateSerializer, Alias("Analytics.Cql.CqlAuthenticationException")]
public sealed class CqlAuthenticationException(string message) : CqlException(CqlErrorCode.BadCredentials, message);
