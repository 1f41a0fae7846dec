namespace Analytics.Cql.Errors;

/// <summary>The coordinator is overloaded and did not execute the request (0x1001).</summary>
[GenerateSerializer, Alias("Analytics.Cql.CqlOverloadedException")]
public sealed class CqlOverloadedException(string message) : CqlException(CqlErrorCode.Overloaded, message);
