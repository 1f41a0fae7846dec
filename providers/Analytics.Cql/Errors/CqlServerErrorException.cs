namespace Analytics.Cql.Errors;

/// <summary>The server failed unexpectedly (0x0000).</summary>
[GenerateSerializer, Alias("Analytics.Cql.CqlServerErrorException")]
public sealed class CqlServerErrorException(string message) : CqlException(CqlErrorCode.ServerError, message);
