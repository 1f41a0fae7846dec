namespace Analytics.Cql.Errors;

/// <summary>A protocol violation, reported by the server (0x000A) or found by this client in a frame.</summary>
[GenerateSerializer, Alias("Analytics.Cql.CqlProtocolException")]
public sealed class CqlProtocolException(string message, CqlErrorCode errorCode = CqlErrorCode.Client)
    : CqlException(errorCode, message);
