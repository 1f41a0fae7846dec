namespace Analytics.GrainInterfaces.Storage;

/// <summary>
/// Grain storage could not be reached (the server is down, refuses connections, or its circuit breaker is open). It crosses
/// to clients as itself, message only: the client driver's exceptions have no Orleans codec, and the gateway answers 503 for it.
/// </summary>
[GenerateSerializer, Alias("Analytics.StorageUnavailableException")]
public sealed class StorageUnavailableException : OrleansException
{
    public StorageUnavailableException(string message) : base(message)
    {
    }
}
