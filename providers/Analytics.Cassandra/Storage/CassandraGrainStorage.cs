using System.Globalization;
using Analytics.Cql;
using Analytics.GrainInterfaces.Storage;
using Analytics.Grains.Privacy;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Analytics.Cassandra.Storage;

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
    private readonly string _index;
    private readonly string _indexInsert;
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
        _index = $"\"{options.Keyspace}\".\"{options.Table}_by_site\"";
        _indexInsert = $"INSERT INTO {_index} (site, grain_type, grain_id, state_name) VALUES (?, ?, ?, ?)";
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
        var session = await CqlSessions.OpenAsync(_options.Client, _loggerFactory, _options.Keyspace, _options.Replication,
            _options.CreateSchema ? Schema : null, cancellationToken).ConfigureAwait(false);
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
        catch (Exception ex) when (CassandraUnavailable.Is(ex))
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
            // The partition key is (grain_type, grain_id), so a site's rows cannot be found by scanning; the index row
            // goes first, so a state row never exists without it. One plain INSERT per new state, not per write.
            if (SiteKeys.SiteOf(key[1]!.ToString()!) is { } site)
            {
                await Session.ExecuteAsync(new CqlStatement(_indexInsert, site, key[0], key[1], key[2])
                {
                    Prepare = true,
                    IsIdempotent = true,
                    Consistency = _options.WriteConsistency,
                }).ConfigureAwait(false);
            }

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

    private string[] Schema =>
    [
        $"""
        CREATE TABLE IF NOT EXISTS "{_options.Keyspace}"."{_options.Table}" (
            grain_type text, grain_id text, state_name text, state blob, etag bigint,
            PRIMARY KEY ((grain_type, grain_id), state_name))
        """,
        $"""
        CREATE TABLE IF NOT EXISTS {_index} (
            site text, grain_type text, grain_id text, state_name text,
            PRIMARY KEY (site, grain_type, grain_id, state_name))
        """,
    ];

    /// <summary>
    /// Deletes (really: no tombstone row, see the type's remarks) the state of every grain the index lists under the
    /// site, and of the <paramref name="exact"/> grains, then the site's index partition. Returns the keys of the
    /// grains erased. Cost: one index read plus one DELETE per stored state of the site.
    /// </summary>
    public async Task<IReadOnlyList<string>> EraseSiteAsync(string site, IReadOnlyList<GrainId> exact, CancellationToken cancellationToken)
    {
        var rows = new List<(string Type, string Id)>();
        var listing = new CqlStatement($"SELECT grain_type, grain_id FROM {_index} WHERE site = ?", site)
        {
            Prepare = true,
            IsIdempotent = true,
            Consistency = _options.ReadConsistency,
        };
        await foreach (var row in Session.QueryAllAsync(listing, cancellationToken).ConfigureAwait(false))
        {
            rows.Add((row.GetString("grain_type")!, row.GetString("grain_id")!));
        }

        rows.AddRange(exact.Select(id => (id.Type.ToString()!, id.Key.ToString()!)));
        var table = $"\"{_options.Keyspace}\".\"{_options.Table}\"";
        await Task.WhenAll(rows.Distinct().Select(r => Session.ExecuteAsync(
            new CqlStatement($"DELETE FROM {table} WHERE grain_type = ? AND grain_id = ?", r.Type, r.Id)
            {
                Prepare = true,
                IsIdempotent = true,
                Consistency = _options.WriteConsistency,
            }, cancellationToken))).ConfigureAwait(false);
        await Session.ExecuteAsync(new CqlStatement($"DELETE FROM {_index} WHERE site = ?", site)
        {
            Prepare = true,
            IsIdempotent = true,
            Consistency = _options.WriteConsistency,
        }, cancellationToken).ConfigureAwait(false);
        return [.. rows.Distinct().Select(r => r.Id)];
    }

    private static object?[] Key(string stateName, GrainId grainId) => [grainId.Type.ToString(), grainId.Key.ToString(), stateName];

    private T CreateDefault<T>() => _activators.GetActivator<T>().Create();

    private static string FormatEtag(long version) => version.ToString(CultureInfo.InvariantCulture);

    private long ParseEtag(string etag, string stateName, GrainId grainId) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new InconsistentStateException($"Cassandra grain storage '{_name}': etag '{etag}' of {stateName} for {grainId} is not ours.", "unknown", etag);
}
