namespace Analytics.Cql.Errors;

/// <summary>The coordinator is overloaded and did not execute the request (0x1001).</summary>
[GenerateSerializer]
public sealed class CqlOverloadedException(string message) : CqlException(CqlErrorCode.Overloaded, message);
