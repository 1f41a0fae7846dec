namespace Analytics.Silo.Cassandra.Errors;

/// <summary>The server does not know the prepared statement id (e.g. after a restart) (0x2500).</summary>
public sealed class CqlUnpreparedException(string message, byte[] preparedId)
    : CqlException(CqlErrorCode.Unprepared, message)
{
    public byte[] PreparedId { get; } = preparedId;
}
