namespace Analytics.Cql.Errors;

/// <summary>A TRUNCATE failed (0x1003).</summary>
[GenerateSerializer]
public sealed class CqlTruncateException(string message) : CqlException(CqlErrorCode.TruncateError, message);
