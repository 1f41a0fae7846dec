namespace Analytics.Cql;

/// <summary>Settings of the CQL client; checked by <see cref="CassandraClientOptionsValidator"/> when a session starts.</summary>
public sealed class CassandraClientOptions
{
    /// <summary>"host:port" entries; connections go to the first that answers, in order.</summary>
    public List<string> ContactPoints { get; set; } = ["127.0.0.1:9042"];

    /// <summary>Keyspace each connection switches to with USE; null to qualify table names instead.</summary>
    public string? Keyspace { get; set; }

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Client-side limit per request; above the server's own timeouts so its typed errors arrive first.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(12);

    public int PoolSize { get; set; } = 2;

    /// <summary>Concurrent requests per connection (v3 allows 32768 stream ids).</summary>
    public int MaxRequestsPerConnection { get; set; } = 1024;

    public CqlConsistency DefaultConsistency { get; set; } = CqlConsistency.Quorum;

    public int DefaultPageSize { get; set; } = 5000;

    /// <summary>Retries of transient failures; non-idempotent statements retry only when surely unsent.</summary>
    public int MaxRetries { get; set; } = 3;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the circuit stays open after too many transient failures.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
