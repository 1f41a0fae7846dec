namespace Analytics.Cql.Errors;

/// <summary>The user lacks a permission (0x2100).</summary>
[GenerateSerializer, Alias("Analytics.Cql.CqlUnauthorizedException")]
public sealed class CqlUnauthorizedException(string message) : CqlException(CqlErrorCode.Unauthorized, message);
