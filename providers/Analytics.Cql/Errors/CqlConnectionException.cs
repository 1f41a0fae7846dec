namespace Analytics.Cql.Errors;

/// <summary>
/// The connection failed. <see cref="MaybeSent"/> is false only when the request certainly never left this
/// process; otherwise the server may have executed it, so only idempotent statements may be retried.
/// </summary>
[GenerateSerializer, Alias("Analytics.Cql.CqlConnectionException")]
public sealed class CqlConnectionException(string message, bool maybeSent, Exception? innerException = null)
    : CqlException(CqlErrorCode.Client, message, innerException)
{
    [Id(0)]
    public bool MaybeSent { get; } = maybeSent;
}
