namespace Analytics.Cql.Errors;

/// <summary>A TRUNCATE failed (0x1003).</summary>
[GenerateSerializer, Alias("Analytics.Cql.CqlTruncateException")]
public sealed class CqlTruncateException(string message) : CqlException(CqlErrorCode.TruncateError, message);
