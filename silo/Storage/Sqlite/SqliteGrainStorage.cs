using System.Globalization;
using Analytics.Grains.Privacy;
using Microsoft.Data.Sqlite;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace Analytics.Silo.Storage.Sqlite;

/// <summary>
/// Orleans grain storage in one SQLite file for the embedded profile. State is written with Orleans' own serializer
/// (the same version-tolerant [Id] contracts the grains already declare). ETags are row versions checked on every
/// write, so a stale activation gets <see cref="InconsistentStateException"/> instead of overwriting newer state.
/// Writes are serialized on one connection; SQLite has one writer anyway.
/// </summary>
public sealed class SqliteGrainStorage : IGrainStorage, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Serializer _serializer;
    private readonly SemaphoreSlim _lock = new(1, 1);

    public SqliteGrainStorage(string path, Serializer serializer)
    {
        _serializer = serializer;
        _connection = SqliteDatabase.Open(path);
        SqliteDatabase.Execute(_connection, """
            CREATE TABLE IF NOT EXISTS grain_state (
                state_name TEXT NOT NULL,
                grain_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                data BLOB NOT NULL,
                PRIMARY KEY (state_name, grain_id)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS grain_state_by_key ON grain_state (substr(grain_id, instr(grain_id, '/') + 1));
            """);
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WithConnectionAsync(() =>
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT version, data FROM grain_state WHERE state_name = $s AND grain_id = $g";
            command.Parameters.AddWithValue("$s", stateName);
            command.Parameters.AddWithValue("$g", grainId.ToString());
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                grainState.State = Activator.CreateInstance<T>();
                grainState.ETag = null;
                grainState.RecordExists = false;
                return;
            }

            grainState.ETag = reader.GetInt64(0).ToString(CultureInfo.InvariantCulture);
            grainState.State = _serializer.Deserialize<T>((byte[])reader[1]);
            grainState.RecordExists = true;
        });

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var data = _serializer.SerializeToArray(grainState.State);
        await WithConnectionAsync(() =>
        {
            using var command = _connection.CreateCommand();
            long next;
            if (grainState.ETag is null)
            {
                command.CommandText = "INSERT INTO grain_state (state_name, grain_id, version, data) VALUES ($s, $g, 1, $d) ON CONFLICT DO NOTHING";
                next = 1;
            }
            else
            {
                var current = long.Parse(grainState.ETag, CultureInfo.InvariantCulture);
                command.CommandText = "UPDATE grain_state SET version = $n, data = $d WHERE state_name = $s AND grain_id = $g AND version = $v";
                command.Parameters.AddWithValue("$v", current);
                next = current + 1;
                command.Parameters.AddWithValue("$n", next);
            }

            command.Parameters.AddWithValue("$s", stateName);
            command.Parameters.AddWithValue("$g", grainId.ToString());
            command.Parameters.AddWithValue("$d", data);
            if (command.ExecuteNonQuery() != 1)
            {
                throw new InconsistentStateException(
                    $"State '{stateName}' of {grainId} changed underneath this activation (expected version {grainState.ETag ?? "none"}).",
                    storedEtag: null, currentEtag: grainState.ETag);
            }

            grainState.ETag = next.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        });
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WithConnectionAsync(() =>
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM grain_state WHERE state_name = $s AND grain_id = $g";
            command.Parameters.AddWithValue("$s", stateName);
            command.Parameters.AddWithValue("$g", grainId.ToString());
            command.ExecuteNonQuery();
            grainState.ETag = null;
            grainState.RecordExists = false;
            grainState.State = Activator.CreateInstance<T>();
        });

    /// <summary>
    /// Deletes the state of every grain whose key (the part of the grain id after "type/") starts with "site|", through
    /// the key index, and of the <paramref name="exact"/> grains; then truncates the write-ahead log. Returns the rows deleted.
    /// </summary>
    public async Task<int> EraseSiteAsync(string site, IReadOnlyList<GrainId> exact)
    {
        var deleted = 0;
        await WithConnectionAsync(() =>
        {
            using var transaction = _connection.BeginTransaction();
            using var byKey = _connection.CreateCommand();
            byKey.Transaction = transaction;
            byKey.CommandText = "DELETE FROM grain_state WHERE substr(grain_id, instr(grain_id, '/') + 1) >= $lo AND substr(grain_id, instr(grain_id, '/') + 1) < $hi";
            byKey.Parameters.AddWithValue("$lo", SiteKeys.Prefix(site));
            byKey.Parameters.AddWithValue("$hi", SiteKeys.UpperBound(site));
            deleted = byKey.ExecuteNonQuery();
            using var byId = _connection.CreateCommand();
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
            SqliteDatabase.Checkpoint(_connection);
        });
        return deleted;
    }

    private async Task WithConnectionAsync(Action work)
    {
        await _lock.WaitAsync();
        try
        {
            work();
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose()
    {
        _connection.Dispose();
        _lock.Dispose();
    }
}
