using Analytics.Cql;
using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Cassandra.Storage;

/// <summary>
/// What the Cassandra stores of the grains (segments, lane checkpoints) share: a session opened when the silo starts,
/// after the options are validated, creating the keyspace and the store's tables when configured to; closed when it
/// stops; and prepared, idempotent requests whose failures after the session's retries surface as
/// <see cref="Analytics.GrainInterfaces.Storage.StorageUnavailableException"/>.
/// </summary>
public abstract class CassandraStore(string name, ICassandraStoreOptions options, ILoggerFactory? loggerFactory)
    : ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    private ICqlSession? _session;

    protected ICqlSession Session => _session ?? throw new InvalidOperationException($"The Cassandra {name} is not started.");

    /// <summary>The store's tables (CREATE TABLE IF NOT EXISTS), created after the keyspace when the options ask for it.</summary>
    protected abstract string[] Schema { get; }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(GetType().Name, options.InitStage, StartAsync, StopAsync);

    /// <summary>Connects and, if configured, creates the keyspace and tables. The silo lifecycle calls this.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var errors = Validate().ToList();
        if (errors.Count > 0)
        {
            throw new OrleansConfigurationException($"Cassandra {name}: {string.Join(" ", errors)}");
        }
        _session = await CqlSessions.OpenAsync(options.Client, _loggerFactory, options.Keyspace, options.Replication,
            options.CreateSchema ? Schema : null, cancellationToken).ConfigureAwait(false);
        LogReady(_loggerFactory.CreateLogger(GetType()));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _session, null) is { } session)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));

    /// <summary>The options' errors (from the store's validator); any of them stops the silo's start.</summary>
    protected abstract IEnumerable<string> Validate();

    /// <summary>The one line the store logs once it is connected.</summary>
    protected abstract void LogReady(ILogger logger);

    protected static CqlStatement Statement(string cql, CqlConsistency consistency, params object?[] values) => new(cql, values)
    {
        Prepare = true,
        IsIdempotent = true,
        Consistency = consistency,
    };

    protected Task<CqlRowSet> ExecuteAsync(CqlStatement statement, CancellationToken cancellationToken) =>
        CassandraCalls.ExecuteAsync(Session, name, statement, cancellationToken);

    protected Task ExecuteBatchAsync(CqlBatch batch, CancellationToken cancellationToken) =>
        CassandraCalls.ExecuteBatchAsync(Session, name, batch, cancellationToken);

    /// <summary>Statements on one partition as one unlogged batch, which Cassandra applies as a single mutation.</summary>
    protected Task PartitionBatchAsync(IEnumerable<CqlStatement> statements, CqlConsistency consistency, CancellationToken cancellationToken) =>
        ExecuteBatchAsync(new CqlBatch(statements.ToList())
        {
            Type = CqlBatchType.Unlogged,
            Consistency = consistency,
            IsIdempotent = true,
        }, cancellationToken);

    protected IAsyncEnumerable<CqlRow> QueryAsync(CqlStatement statement, CancellationToken cancellationToken) =>
        CassandraCalls.QueryAsync(Session, name, statement, cancellationToken);
}
