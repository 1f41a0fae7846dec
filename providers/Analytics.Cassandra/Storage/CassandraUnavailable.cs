using Analytics.Cql.Errors;
using Polly.CircuitBreaker;

namespace Analytics.Cassandra.Storage;

/// <summary>
/// The failures that mean Cassandra cannot be reached now (after the session's retries), which the stores report as
/// <c>StorageUnavailableException</c>: Orleans can carry that to a caller, the client's and Polly's exceptions it cannot.
/// </summary>
internal static class CassandraUnavailable
{
    public static bool Is(Exception exception) => exception is BrokenCircuitException or CqlConnectionException or CqlClientTimeoutException
        or CqlUnavailableException or CqlOverloadedException or CqlIsBootstrappingException or CqlReadTimeoutException or CqlWriteTimeoutException;
}
