namespace Analytics.Cql.Errors;

/// <summary>The user lacks a permission (0x2100).</summary>
[GenerateSerializer]
public sealed class CqlUnauthorizedException(string message) : CqlException(CqlErrorCode.Unauthorized, message);
