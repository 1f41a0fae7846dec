namespace Analytics.Silo.Cassandra.Errors;

/// <summary>A TRUNCATE failed (0x1003).</summary>
public sealed class CqlTruncateException(string message) : CqlException(CqlErrorCode.TruncateError, message);
