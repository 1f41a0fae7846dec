namespace Analytics.Cql.Errors;

/// <summary>Base of every CQL failure; <see cref="ErrorCode"/> is the server's code, or Client for local failures.</summary>
[GenerateSerializer, Alias("Analytics.Cql.CqlException")]
public class CqlException(CqlErrorCode errorCode, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    [Id(0)]
    public CqlErrorCode ErrorCode { get; } = errorCode;
}
