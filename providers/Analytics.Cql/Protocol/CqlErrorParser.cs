using Analytics.Cql.Errors;

namespace Analytics.Cql.Protocol;

/// <summary>
/// Turns an ERROR frame body ([int] code, [string] message, code-specific fields) into a typed exception: protocol
/// reading, so it lives with the frame readers and the exceptions stay free of the protocol.
/// </summary>
internal static class CqlErrorParser
{
    public static CqlException Parse(byte[] body)
    {
        var reader = new CqlFrameReader(body);
        var code = (CqlErrorCode)reader.ReadInt();
        var message = reader.ReadString();
        return code switch
        {
            CqlErrorCode.ServerError => new CqlServerErrorException(message),
            CqlErrorCode.ProtocolError => new CqlProtocolException(message, code),
            CqlErrorCode.BadCredentials => new CqlAuthenticationException(message),
            CqlErrorCode.Unavailable => new CqlUnavailableException(message, (CqlConsistency)reader.ReadShort(), reader.ReadInt(), reader.ReadInt()),
            CqlErrorCode.Overloaded => new CqlOverloadedException(message),
            CqlErrorCode.IsBootstrapping => new CqlIsBootstrappingException(message),
            CqlErrorCode.TruncateError => new CqlTruncateException(message),
            CqlErrorCode.WriteTimeout => new CqlWriteTimeoutException(message, (CqlConsistency)reader.ReadShort(), reader.ReadInt(), reader.ReadInt(), reader.ReadString()),
            CqlErrorCode.ReadTimeout => new CqlReadTimeoutException(message, (CqlConsistency)reader.ReadShort(), reader.ReadInt(), reader.ReadInt(), reader.ReadByte() != 0),
            CqlErrorCode.SyntaxError => new CqlSyntaxException(message),
            CqlErrorCode.Unauthorized => new CqlUnauthorizedException(message),
            CqlErrorCode.Invalid => new CqlInvalidException(message),
            CqlErrorCode.ConfigError => new CqlConfigException(message),
            CqlErrorCode.AlreadyExists => new CqlAlreadyExistsException(message, reader.ReadString(), reader.ReadString()),
            CqlErrorCode.Unprepared => new CqlUnpreparedException(message, reader.ReadShortBytes()),
            _ => new CqlException(code, message),
        };
    }
}
