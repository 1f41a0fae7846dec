using System.Buffers;
using System.Collections.Concurrent;
using Analytics.Abstractions.Lanes;
using Analytics.Cassandra.Storage;
using Analytics.Cql;

namespace Analytics.Cassandra.Lanes;

/// <summary>
/// The cluster profile's <see cref="ILaneStateStore"/>: one partition per lane in <c>{prefix}_parts (lane, part)</c>, a
/// log of parts as in the embedded store. A checkpoint appends the sessions it changed as ONE part (a blob of
/// <see cref="LaneSessionRecords"/>) in the same single-partition batch that moves the static columns (offset, watermark,
/// expiry time, the last part): Cassandra applies it as one mutation, so a reader sees the old checkpoint or the new one
/// whole. A row (and cells) per session instead cost Cassandra about as much as everything else it stores (session 45),
/// and a session is rewritten with most events.
/// <para>
/// Reads take the parts from <c>first_part</c> to <c>last_part</c> in order (a later record of a visitor replaces an
/// earlier one). A checkpoint bigger than <see cref="CassandraLaneStateStoreOptions.MaxBatchBytes"/> writes its first
/// parts on their own, numbered past <c>last_part</c> and so not read yet, and the last one with the statics: the batch
/// that moves <c>last_part</c> over them is the commit point. Parts a crash left past <c>last_part</c> are overwritten by
/// the next checkpoint, which numbers its parts from there too, so no part at or below <c>last_part</c> is left over.
/// </para>
/// <para>
/// Once the parts appended since the last compaction outweigh the compacted ones, the lane's parts are merged (the
/// latest record per visitor, without expired sessions) into new parts past <c>last_part</c>, committed by one batch
/// that moves <c>first_part</c> and <c>last_part</c> to them; the old parts are deleted after. The merged parts hold
/// exactly what the parts before them add up to, so a reader that sees them before the commit reads the same sessions.
/// The lane's grain is the only writer of its partition (one activation), and it writes one checkpoint at a time.
/// </para>
/// </summary>
public sealed class CassandraLaneStateStore : CassandraStore, ILaneStateStore
{
    /// <summary>How long the table keeps the tombstones of deleted parts: a few compactions' worth, not the default ten days.</summary>
    private const int GcGraceSeconds = 3 * 60 * 60;

    /// <summary>Appended bytes below which a lane is not compacted, however small its compacted parts.</summary>
    private const int MinCompactionBytes = 1024 * 1024;

    /// <summary>Parts deleted per batch after a compaction.</summary>
    private const int DeletesPerBatch = 200;

    private readonly CassandraLaneStateStoreOptions _options;
    private readonly string _table;
    private readonly string _insertPart;
    private readonly string _commit;
    private readonly string _selectHead;
    private readonly string _selectParts;

    /// <summary>Each lane's part numbers and weights as last read or written here: a lane reads its checkpoint before it writes.</summary>
    private readonly ConcurrentDictionary<string, PartLog> _logs = new(StringComparer.Ordinal);

    public CassandraLaneStateStore(CassandraLaneStateStoreOptions options, ILoggerFactory? loggerFactory = null)
        : base("lane store", options, loggerFactory)
    {
        _options = options;
        _table = $"\"{options.Keyspace}\".\"{options.PartsTable}\"";
        _insertPart = $"INSERT INTO {_table} (lane, part, sessions) VALUES (?, ?, ?)";
        _commit = $"""
            UPDATE {_table} SET lane_offset = ?, watermark = ?, expire_before = ?, first_part = ?, last_part = ?, compacted_bytes = ?, appended_bytes = ?
            WHERE lane = ?
            """;
        _selectHead = $"SELECT lane_offset, watermark, expire_before, first_part, last_part, compacted_bytes, appended_bytes FROM {_table} WHERE lane = ? LIMIT 1";
        _selectParts = $"SELECT part, sessions FROM {_table} WHERE lane = ? AND part >= ? AND part <= ?";
    }

    protected override IEnumerable<string> Validate() => CassandraLaneStateStoreOptionsValidator.Validate(_options);

    protected override void LogReady(ILogger logger) => logger.LogInformation(
        "Cassandra lane store ready on {Keyspace}.{Table}", _options.Keyspace, _options.PartsTable);

    /// <summary>
    /// Reads the static columns alone first: Cassandra 2.1.0 returns them as null on every page after the first
    /// (CASSANDRA-8502). Then pages through the committed parts.
    /// </summary>
    public async Task<LaneCheckpoint> ReadAsync(string lane, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        var head = await ReadHeadAsync(lane, cancellationToken).ConfigureAwait(false);
        if (head is not { } checkpoint)
        {
            _logs[lane] = PartLog.Empty;
            return LaneCheckpoint.Empty;
        }

        _logs[lane] = checkpoint.Log;
        var sessions = new Dictionary<ulong, StoredLaneSession>();
        await foreach (var (_, part) in ReadPartsAsync(lane, checkpoint.Log.First, checkpoint.Log.Last, cancellationToken).ConfigureAwait(false))
        {
            ReadOnlySpan<byte> records = part;
            while (!records.IsEmpty)
            {
                var session = LaneSessionRecords.Read(ref records);
                sessions[session.Visitor] = session;
            }
        }

        return new LaneCheckpoint(checkpoint.Offset, Time(checkpoint.Watermark),
            sessions.Values.Where(s => s.End.Ticks >= checkpoint.ExpireBefore).ToList());
    }

    public async Task WriteAsync(string lane, LaneCheckpointWrite write, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            var log = _logs.TryGetValue(lane, out var known) ? known : (await ReadHeadAsync(lane, cancellationToken).ConfigureAwait(false))?.Log ?? PartLog.Empty;
            var parts = Split(write.Sessions);
            var number = log.Last;
            foreach (var part in parts.Take(parts.Count - 1))
            {
                await ExecuteAsync(Statement(_insertPart, _options.WriteConsistency, lane, ++number, part), cancellationToken).ConfigureAwait(false);
            }

            var bytes = parts.Sum(p => (long)p.Length);
            var statements = new List<CqlStatement>(2);
            if (parts.Count > 0)
            {
                statements.Add(Statement(_insertPart, _options.WriteConsistency, lane, ++number, parts[^1]));
            }

            var expireBefore = LaneSessionRecords.Ticks(write.ExpireBefore);
            log = log with { Last = number, Appended = log.Appended + bytes };
            statements.Add(Commit(lane, write.Offset, LaneSessionRecords.Ticks(write.Watermark), expireBefore, log));
            await BatchAsync(statements, cancellationToken).ConfigureAwait(false);
            _logs[lane] = log;

            if (log.Appended > Math.Max(log.Compacted, MinCompactionBytes))
            {
                _logs[lane] = await CompactAsync(lane, new Head(write.Offset, LaneSessionRecords.Ticks(write.Watermark), expireBefore, log), cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        catch
        {
            // What was committed is unknown: the next write reads it.
            _logs.TryRemove(lane, out _);
            throw;
        }
    }

    /// <summary>
    /// Removes the site's records from every part of every lane, each part rewritten in place (its number kept, so a lane
    /// writing meanwhile is not disturbed), then the parts a lane committed during the pass, until a pass finds no new ones.
    /// Lanes that saw the site's events were told to stop first (the eraser), so none writes its sessions again.
    /// </summary>
    public async Task DeleteSiteAsync(string site, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(site);
        var lanes = new List<string>();
        await foreach (var row in QueryAsync(Statement($"SELECT DISTINCT lane FROM {_table}", _options.ReadConsistency), cancellationToken).ConfigureAwait(false))
        {
            lanes.Add(row.GetString("lane")!);
        }

        var compaction = new LaneSessionCompaction(_options.MaxBatchBytes);
        foreach (var lane in lanes)
        {
            var done = long.MinValue;
            while (await ReadHeadAsync(lane, cancellationToken).ConfigureAwait(false) is { } head && head.Log.Last > done)
            {
                var from = Math.Max(head.Log.First, done + 1);
                await foreach (var (number, part) in ReadPartsAsync(lane, from, head.Log.Last, cancellationToken).ConfigureAwait(false))
                {
                    compaction.Clear();
                    compaction.Add(part);
                    var kept = compaction.Parts(long.MinValue, site).Select(p => p.ToArray()).ToList();
                    if (kept.Sum(p => p.Length) != part.Length)
                    {
                        // Fewer bytes than the records it had: the site's are gone. What is left fits in one part, as before.
                        await ExecuteAsync(Statement(_insertPart, _options.WriteConsistency, lane, number, kept.SelectMany(p => p).ToArray()), cancellationToken)
                            .ConfigureAwait(false);
                    }
                }

                done = head.Log.Last;
            }
        }
    }

    /// <summary>Merges the lane's committed parts into new ones past them, commits those, then deletes the old parts.</summary>
    private async Task<PartLog> CompactAsync(string lane, Head head, CancellationToken cancellationToken)
    {
        var compaction = new LaneSessionCompaction(_options.MaxBatchBytes);
        await foreach (var (_, part) in ReadPartsAsync(lane, head.Log.First, head.Log.Last, cancellationToken).ConfigureAwait(false))
        {
            compaction.Add(part);
        }

        var merged = compaction.Parts(head.ExpireBefore, dropSite: null).Select(p => p.ToArray()).ToList();
        var number = head.Log.Last;
        foreach (var part in merged.Take(merged.Count - 1))
        {
            await ExecuteAsync(Statement(_insertPart, _options.WriteConsistency, lane, ++number, part), cancellationToken).ConfigureAwait(false);
        }

        var statements = new List<CqlStatement>(2);
        if (merged.Count > 0)
        {
            statements.Add(Statement(_insertPart, _options.WriteConsistency, lane, ++number, merged[^1]));
        }

        var log = new PartLog(head.Log.Last + 1, number, merged.Sum(p => (long)p.Length), 0);
        statements.Add(Commit(lane, head.Offset, head.Watermark, head.ExpireBefore, log));
        await BatchAsync(statements, cancellationToken).ConfigureAwait(false);

        // A crash before these leaves parts below first_part: never read again.
        for (var first = head.Log.First; first <= head.Log.Last; first += DeletesPerBatch)
        {
            var last = Math.Min(head.Log.Last, first + DeletesPerBatch - 1);
            await BatchAsync(Enumerable.Range(0, (int)(last - first + 1)).Select(i => Statement($"DELETE FROM {_table} WHERE lane = ? AND part = ?",
                _options.WriteConsistency, lane, first + i)), cancellationToken).ConfigureAwait(false);
        }

        return log;
    }

    private CqlStatement Commit(string lane, long offset, long watermark, long expireBefore, PartLog log) => Statement(_commit, _options.WriteConsistency,
        offset, watermark, expireBefore, log.First, log.Last, log.Compacted, log.Appended, lane);

    private async Task<Head?> ReadHeadAsync(string lane, CancellationToken cancellationToken)
    {
        var rows = await ExecuteAsync(Statement(_selectHead, _options.ReadConsistency, lane), cancellationToken).ConfigureAwait(false);
        if (rows.Rows.Count == 0 || rows.Rows[0].IsNull("lane_offset"))
        {
            return null;
        }

        var row = rows.Rows[0];
        return new Head(row.GetInt64("lane_offset"), row.GetInt64("watermark"), row.GetInt64("expire_before"),
            new PartLog(row.GetInt64("first_part"), row.GetInt64("last_part"), row.GetInt64("compacted_bytes"), row.GetInt64("appended_bytes")));
    }

    /// <summary>The lane's parts numbered from <paramref name="first"/> to <paramref name="last"/>, in order, a few per page (each up to a batch's size).</summary>
    private async IAsyncEnumerable<(long Number, byte[] Part)> ReadPartsAsync(string lane, long first, long last,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (first > last)
        {
            yield break;
        }

        var query = Statement(_selectParts, _options.ReadConsistency, lane, first, last) with { PageSize = _options.ReadPageSize };
        await foreach (var row in QueryAsync(query, cancellationToken).ConfigureAwait(false))
        {
            // A partition with only its static columns reads as one row without a part.
            if (!row.IsNull("part"))
            {
                yield return (row.GetInt64("part"), row.GetBytes("sessions") ?? []);
            }
        }
    }

    /// <summary>The sessions as parts of at most <see cref="CassandraLaneStateStoreOptions.MaxBatchBytes"/> (whole records, at least one each); none for none.</summary>
    private List<byte[]> Split(IReadOnlyList<StoredLaneSession> sessions)
    {
        var parts = new List<byte[]>();
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var session in sessions)
        {
            if (buffer.WrittenCount > 0 && buffer.WrittenCount + LaneSessionRecords.Size(session) > _options.MaxBatchBytes)
            {
                parts.Add(buffer.WrittenSpan.ToArray());
                buffer.ResetWrittenCount();
            }

            LaneSessionRecords.Write(session, buffer);
        }

        if (buffer.WrittenCount > 0)
        {
            parts.Add(buffer.WrittenSpan.ToArray());
        }

        return parts;
    }

    private static DateTime Time(long ticks) => new(ticks, DateTimeKind.Utc);

    /// <summary>Statements on one partition as one unlogged batch: one mutation, applied whole or not at all.</summary>
    private Task BatchAsync(IEnumerable<CqlStatement> statements, CancellationToken cancellationToken) =>
        PartitionBatchAsync(statements, _options.WriteConsistency, cancellationToken);

    protected override string[] Schema =>
    [
        $"""
        CREATE TABLE IF NOT EXISTS {_table} (
            lane text, part bigint, sessions blob,
            lane_offset bigint static, watermark bigint static, expire_before bigint static,
            first_part bigint static, last_part bigint static, compacted_bytes bigint static, appended_bytes bigint static,
            PRIMARY KEY (lane, part))
            WITH gc_grace_seconds = {GcGraceSeconds}
        """,
    ];

    /// <summary>A lane's committed parts (<see cref="First"/> to <see cref="Last"/>, none when first is past last) and their weights.</summary>
    private readonly record struct PartLog(long First, long Last, long Compacted, long Appended)
    {
        public static PartLog Empty => new(0, -1, 0, 0);
    }

    /// <summary>A lane's static columns: its checkpoint (times as UTC ticks) and its parts.</summary>
    private readonly record struct Head(long Offset, long Watermark, long ExpireBefore, PartLog Log);
}
