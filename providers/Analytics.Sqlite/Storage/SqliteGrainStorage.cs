using System.Globalization;
using Analytics.Grains.Privacy;
using CommunityToolkit.HighPerformance.Buffers;
using Microsoft.Data.Sqlite;
using Orleans.Serialization;
using Orleans.Storage;

namespace Analytics.Sqlite.Storage;

/// <summary>
/// Orleans grain storage in one SQLite file for the embedded profile. State is written with Orleans' own serializer
/// (the same version-tolerant [Id] contracts the grains already declare) into pooled buffers. ETags are row versions
/// checked on every write, so a stale activation gets <see cref="InconsistentStateException"/> instead of overwriting
/// newer state. Writes are group-committed by <see cref="SqliteGrainStateWriter"/> on its own connection; reads use a
/// second connection (WAL lets them run beside the writer) and deserialize straight from SQLite's page memory.
/// </summary>
public sealed class SqliteGrainStorage : IGrainStorage, IDisposable
{
    private const int CacheKiB = 16 * 1024;

    private readonly SqliteConnection _writeConnection;
    private readonly SqliteConnection _readConnection;
    private readonly SqliteGrainStateWriter _writer;
    private readonly SqliteStatement _select;
    private readonly Lock _readLock = new();
    private readonly Serializer _serializer;

    public SqliteGrainStorage(string path, Serializer serializer)
    {
        _serializer = serializer;
        _writeConnection = SqliteDatabase.Open(path);
        SqliteDatabase.Execute(_writeConnection, """
            CREATE TABLE IF NOT EXISTS grain_state (
                state_name TEXT NOT NULL,
                grain_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                data BLOB NOT NULL,
                PRIMARY KEY (state_name, grain_id)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS grain_state_by_key ON grain_state (substr(grain_id, instr(grain_id, '/') + 1));
            """);
        // The default 2 MiB page cache made every bucket read and rewrite a series of pread calls.
        SqliteDatabase.Execute(_writeConnection, $"PRAGMA cache_size = -{CacheKiB}");
        _writer = new SqliteGrainStateWriter(_writeConnection);
        _readConnection = SqliteDatabase.Open(path);
        SqliteDatabase.Execute(_readConnection, $"PRAGMA cache_size = -{CacheKiB}");
        _select = new SqliteStatement(_readConnection, "SELECT version, data FROM grain_state WHERE state_name = ?1 AND grain_id = ?2");
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (_readLock)
        {
            if (!_select.Bind(1, stateName).Bind(2, grainId.ToString()).Read())
            {
                grainState.State = Activator.CreateInstance<T>();
                grainState.ETag = null;
                grainState.RecordExists = false;
                return Task.CompletedTask;
            }

            try
            {
                grainState.ETag = _select.Int64(0).ToString(CultureInfo.InvariantCulture);
                grainState.State = _serializer.Deserialize<T>(_select.Blob(1));
                grainState.RecordExists = true;
            }
            finally
            {
                _select.Reset();
            }
        }

        return Task.CompletedTask;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var data = new ArrayPoolBufferWriter<byte>();
        try
        {
            _serializer.Serialize(grainState.State, data);
        }
        catch
        {
            data.Dispose();
            throw;
        }

        long? expected = grainState.ETag is null ? null : long.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        var version = await _writer.WriteAsync(stateName, grainId.ToString(), expected, data);
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await _writer.ClearAsync(stateName, grainId.ToString());
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    /// <summary>
    /// Deletes the state of every grain whose key (the part of the grain id after "type/") starts with "site|", through
    /// the key index, and of the <paramref name="exact"/> grains; then truncates the write-ahead log. Returns the rows deleted.
    /// </summary>
    public async Task<int> EraseSiteAsync(string site, IReadOnlyList<GrainId> exact)
    {
        var deleted = 0;
        await _writer.RunAloneAsync(connection =>
        {
            using var transaction = connection.BeginTransaction();
            using var byKey = connection.CreateCommand();
            byKey.Transaction = transaction;
            byKey.CommandText = "DELETE FROM grain_state WHERE substr(grain_id, instr(grain_id, '/') + 1) >= $lo AND substr(grain_id, instr(grain_id, '/') + 1) < $hi";
            byKey.Parameters.AddWithValue("$lo", SiteKeys.Prefix(site));
            byKey.Parameters.AddWithValue("$hi", SiteKeys.UpperBound(site));
            deleted = byKey.ExecuteNonQuery();
            using var byId = connection.CreateCommand();
            byId.Transaction = transaction;
            byId.CommandText = "DELETE FROM grain_state WHERE substr(grain_id, instr(grain_id, '/') + 1) = $k AND grain_id = $g";
            var key = byId.Parameters.Add("$k", SqliteType.Text);
            var id = byId.Parameters.Add("$g", SqliteType.Text);
            foreach (var grainId in exact)
            {
                key.Value = grainId.Key.ToString();
                id.Value = grainId.ToString();
                deleted += byId.ExecuteNonQuery();
            }

            transaction.Commit();
            // No read may hold a snapshot while the log is truncated, or erased pages would outlive it there.
            lock (_readLock)
            {
                SqliteDatabase.Checkpoint(connection);
            }
        });
        return deleted;
    }

    public void Dispose()
    {
        _writer.Dispose();
        _select.Dispose();
        _readConnection.Dispose();
        _writeConnection.Dispose();
    }
}
