using Analytics.GrainInterfaces.Storage;
using Analytics.Silo.Cassandra.Errors;
using Polly.CircuitBreaker;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Analytics.Silo.Cassandra.Storage;

/// <summary>
/// Orleans grain storage in one Cassandra table, one row per (grain type, grain key, state name).
/// The etag is a version number guarded by lightweight transactions: the first write is
/// INSERT … IF NOT EXISTS, later ones UPDATE … IF etag = ?, so of two activations racing on the same
/// state exactly one wins and the other gets <see cref="InconsistentStateException"/>.
/// Clearing keeps the row as a tombstone (state null, version bumped) instead of deleting it: versions
/// never restart, so a stale activation holding an etag from before the clear can never match again.
/// </summary>
public sealed class CassandraGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private readonly string _name;
    private readonly CassandraGrainStorageOptions _options;
    private readonly Serializer _serializer;
    private readonly IActivatorProvider _activators;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly string _select;
    private readonly string _insert;
    private readonly string _update;
    private ICqlSession? _session;

    // Orleans' own serializer (the one grain calls use) rather than JSON: state types already carry
    // [GenerateSerializer]/[Id] for messaging, and its [Id]-based format tolerates added and removed members.
    public CassandraGrainStorage(string name, CassandraGrainStorageOptions options, Serializer serializer, IActivatorProvider activators, ILoggerFactory loggerFactory)
    {
        _name = name;
        _options = options;
        _serializer = serializer;
        _activators = activators;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<CassandraGrainStorage>();
        var table = $"\"{options.Keyspace}\".\"{options.Table}\"";
        const string key = "grain_type = ? AND grain_id = ? AND state_name = ?";
        _select = $"SELECT state, etag FROM {table} WHERE {key}";
        _insert = $"INSERT INTO {table} (grain_type, grain_id, state_name, state, etag) VALUES (?, ?, ?, ?, ?) IF NOT EXISTS";
        _update = $"UPDATE {table} SET state = ?, etag = ? WHERE {key} IF etag = ?";
    }

    public static CassandraGrainStorage Create(IServiceProvider services, string name) => new(
        name,
        services.GetRequiredService<IOptionsMonitor<CassandraGrainStorageOptions>>().Get(name),
        services.GetRequiredService<Serializer>(),
        services.GetRequiredService<IActivatorProvider>(),
        services.GetRequiredService<ILoggerFactory>());

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(CassandraGrainStorage)}-{_name}", _options.InitStage, StartAsync, StopAsync);

    /// <summary>Connects and, if configured, creates the keyspace and table. The silo lifecycle calls this.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var errors = CassandraGrainStorageOptionsValidator.Validate(_options).ToList();
        if (errors.Count > 0)
        {
            throw new OrleansConfigurationException($"Cassandra grain storage '{_name}': {string.Join(" ", errors)}");
        }
        var session = new CqlSession(_options.Client, _loggerFactory.CreateLogger<CqlSession>());
        try
        {
            if (_options.CreateSchema)
            {
                await CreateSchemaAsync(session, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        _session = session;
        _logger.LogInformation("Cassandra grain storage {Name} ready on {Keyspace}.{Table}", _name, _options.Keyspace, _options.Table);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _session, null) is { } session)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var rows = await ExecuteAsync(new CqlStatement(_select, Key(stateName, grainId))
        {
            Prepare = true,
            IsIdempotent = true,
            Consistency = _options.ReadConsistency,
        }).ConfigureAwait(false);
        if (rows.Rows.Count == 0)
        {
            grainState.State = CreateDefault<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        var row = rows.Rows[0];
        var state = row.GetBytes("state");
        grainState.State = state is null ? CreateDefault<T>() : _serializer.Deserialize<T>(state);
        grainState.ETag = FormatEtag(row.GetInt64("etag"));
        grainState.RecordExists = state is not null;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var bytes = _serializer.SerializeToArray(grainState.State);
        var version = await SwapAsync(stateName, grainId, grainState.ETag, bytes, "write").ConfigureAwait(false);
        grainState.ETag = FormatEtag(version);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var version = await SwapAsync(stateName, grainId, grainState.ETag, null, "clear").ConfigureAwait(false);
        grainState.State = CreateDefault<T>();
        grainState.ETag = FormatEtag(version);
        grainState.RecordExists = false;
    }

    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));

    /// <summary>
    /// Executes on the session; Cassandra being unreachable becomes <see cref="StorageUnavailableException"/>, which Orleans
    /// can carry to the caller (the driver's and Polly's exceptions cannot be serialized).
    /// </summary>
    private async Task<CqlRowSet> ExecuteAsync(CqlStatement statement)
    {
        try
        {
            return await Session.ExecuteAsync(statement).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is BrokenCircuitException or CqlConnectionException or CqlClientTimeoutException
            or CqlUnavailableException or CqlOverloadedException or CqlIsBootstrappingException or CqlReadTimeoutException or CqlWriteTimeoutException)
        {
            throw new StorageUnavailableException($"Cassandra grain storage '{_name}' is unavailable: {(ex.InnerException ?? ex).Message}");
        }
    }

    private ICqlSession Session => _session
        ?? throw new InvalidOperationException($"Cassandra grain storage '{_name}' is not started.");

    /// <summary>Replaces the stored value if its version still matches <paramref name="etag"/>; returns the new version.</summary>
    private async Task<long> SwapAsync(string stateName, GrainId grainId, string? etag, byte[]? state, string operation)
    {
        var key = Key(stateName, grainId);
        long next;
        CqlStatement statement;
        if (etag is null)
        {
            next = 1;
            statement = new CqlStatement(_insert, key[0], key[1], key[2], state, next);
        }
        else
        {
            var expected = ParseEtag(etag, stateName, grainId);
            next = expected + 1;
            statement = new CqlStatement(_update, state, next, key[0], key[1], key[2], expected);
        }
        // A lightweight transaction is not idempotent: if the first attempt applied, a retry reports a
        // conflict with ourselves. Only failures that surely never reached the server are retried.
        var result = await ExecuteAsync(statement with
        {
            Prepare = true,
            IsIdempotent = false,
            Consistency = _options.WriteConsistency,
            SerialConsistency = _options.SerialConsistency,
        }).ConfigureAwait(false);
        if (!result.WasApplied)
        {
            var row = result.Rows[0];
            var stored = row.HasColumn("etag") && !row.IsNull("etag") ? FormatEtag(row.GetInt64("etag")) : "none";
            throw new InconsistentStateException(
                $"Cassandra grain storage '{_name}': {operation} of {stateName} for {grainId} lost a race (stored etag {stored}, ours {etag ?? "none"}).",
                stored, etag ?? "none");
        }
        return next;
    }

    private async Task CreateSchemaAsync(ICqlSession session, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync(new CqlStatement(
            $"CREATE KEYSPACE IF NOT EXISTS \"{_options.Keyspace}\" WITH replication = {_options.Replication}")
        { IsIdempotent = true }, cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync(new CqlStatement(
            $"""
            CREATE TABLE IF NOT EXISTS "{_options.Keyspace}"."{_options.Table}" (
                grain_type text, grain_id text, state_name text, state blob, etag bigint,
                PRIMARY KEY ((grain_type, grain_id), state_name))
            """)
        { IsIdempotent = true }, cancellationToken).ConfigureAwait(false);
    }

    private static object?[] Key(string stateName, GrainId grainId) => [grainId.Type.ToString(), grainId.Key.ToString(), stateName];

    private T CreateDefault<T>() => _activators.GetActivator<T>().Create();

    private static string FormatEtag(long version) => version.ToString(CultureInfo.InvariantCulture);

    private long ParseEtag(string etag, string stateName, GrainId grainId) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new InconsistentStateException($"Cassandra grain storage '{_name}': etag '{etag}' of {stateName} for {grainId} is not ours.", "unknown", etag);
}
