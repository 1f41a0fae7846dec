namespace Analytics.Cql.Errors;

/// <summary>Authentication failed (0x0100).</summary>
[GenerateSerializer]
public sealed class CqlAuthenticationException(string message) : CqlException(CqlErrorCode.BadCredentials, message);
