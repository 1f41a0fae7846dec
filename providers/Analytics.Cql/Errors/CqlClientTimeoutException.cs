namespace Analytics.Cql.Errors;

/// <summary>No response within the client's request timeout; the server may still execute the request.</summary>
[GenerateSerializer, Alias("Analytics.Cql.CqlClientTimeoutException")]
public sealed class CqlClientTimeoutException(string message) : CqlException(CqlErrorCode.Client, message);
