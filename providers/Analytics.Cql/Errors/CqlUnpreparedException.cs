namespace Analytics.Cql.Errors;

/// <summary>The server does not know the prepared statement id (e.g. after a restart) (0x2500).</summary>
[GenerateSerializer, Alias("Analytics.Cql.CqlUnpreparedException")]
public sealed class CqlUnpreparedException(string message, byte[] preparedId)
    : CqlException(CqlErrorCode.Unprepared, message)
{
    [Id(0)]
    public byte[] PreparedId { get; } = preparedId;
}
