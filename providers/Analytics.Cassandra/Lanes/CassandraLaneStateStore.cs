using System.Buffers;
using System.Collections.Concurrent;
using Analytics.Abstractions.Lanes;
using Analytics.Cassandra.Storage;
using Analytics.Cql;
using Analytics.Cql.Errors;
using Analytics.GrainInterfaces.Privacy;

namespace Analytics.Cassandra.Lanes;

/// <summary>
/// The cluster profile's <see cref="ILaneStateStore"/>: one partition per lane in <c>{prefix}_parts (lane, part)</c>, a
/// log of parts as in the embedded store. A checkpoint appends the sessions it changed as ONE part (a blob of
/// <see cref="LaneSessionRecords"/>, packed by <see cref="CassandraBlobCodec"/>) in the same single-partition batch that moves the static columns (offset, watermark,
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
/// <para>
/// Site erasure: the site is first noted in <c>{prefix}_erased</c> (by its hash, for a day), then every part of every lane that holds
/// its records is rewritten without them in place, with the timestamp of its own write plus one, so that a compaction's
/// later delete of that part still wins. A compaction drops the records of every site noted there, and looks again after
/// its commit: a site erased while it merged is then removed from its new parts too.
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

    /// <summary>How long an erased site stays noted for compactions: far longer than one lasts.</summary>
    private const int ErasedTtlSeconds = 24 * 60 * 60;

    /// <summary>Passes of an erasure over one lane, at most (see <see cref="DeleteSiteAsync"/>).</summary>
    private const int MaxErasurePasses = 5;

    private readonly CassandraLaneStateStoreOptions _options;
    private readonly string _table;
    private readonly string _erased;
    private readonly ILogger _logger;
    private readonly string _insertPart;
    private readonly string _deletePart;
    private readonly string _commit;
    private readonly string _selectHead;
    private readonly string _selectParts;

    /// <summary>Each lane's part numbers and weights as last read or written here: a lane reads its checkpoint before it writes.</summary>
    private readonly ConcurrentDictionary<string, PartLog> _logs = new(StringComparer.Ordinal);

    /// <summary>One compaction at a time per silo, in one reused buffer: a compaction holds a whole lane.</summary>
    private readonly SemaphoreSlim _compacting = new(1, 1);
    private readonly LaneSessionCompaction _compaction;

    public CassandraLaneStateStore(CassandraLaneStateStoreOptions options, ILoggerFactory? loggerFactory = null)
        : base("lane store", options, loggerFactory)
    {
        _options = options;
        _table = Qualified(options.PartsTable);
        _erased = Qualified(options.ErasedTable);
        _logger = (loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger<CassandraLaneStateStore>();
        _compaction = new LaneSessionCompaction(options.MaxBatchBytes);
        _insertPart = $"INSERT INTO {_table} (lane, part, sessions) VALUES (?, ?, ?)";
        _deletePart = $"DELETE FROM {_table} WHERE lane = ? AND part = ?";
        _commit = $"""
            UPDATE {_table} SET lane_offset = ?, watermark = ?, expire_before = ?, first_part = ?, last_part = ?, compacted_bytes = ?, appended_bytes = ?
            WHERE lane = ?
            """;
        _selectHead = $"SELECT lane_offset, watermark, expire_before, first_part, last_part, compacted_bytes, appended_bytes, deleted_below FROM {_table} WHERE lane = ? LIMIT 1";
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
        if (head is null && await ReadEarlierTablesAsync(lane, cancellationToken).ConfigureAwait(false) is { } earlier)
        {
            // Checkpointed by a build before the log of parts: carried over whole, once.
            _logs[lane] = PartLog.Empty;
            await WriteAsync(lane, earlier, cancellationToken).ConfigureAwait(false);
            head = await ReadHeadAsync(lane, cancellationToken).ConfigureAwait(false);
        }

        if (head is not { } checkpoint)
        {
            _logs[lane] = PartLog.Empty;
            return LaneCheckpoint.Empty;
        }

        _logs[lane] = checkpoint.Log;
        var sessions = new Dictionary<ulong, StoredLaneSession>();
        await foreach (var (_, part) in ReadPartsAsync(lane, checkpoint.Log.First, checkpoint.Log.Last, cancellationToken).ConfigureAwait(false))
        {
            LaneSessionRecords.ReadInto(part, sessions);
        }

        return new LaneCheckpoint(checkpoint.Offset, Time(checkpoint.Watermark),
            sessions.Values.Where(s => s.End.Ticks >= checkpoint.ExpireBefore).ToList());
    }

    public async Task WriteAsync(string lane, LaneCheckpointWrite write, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        ArgumentNullException.ThrowIfNull(write);
        Head head;
        try
        {
            var log = _logs.TryGetValue(lane, out var known) ? known : (await ReadHeadAsync(lane, cancellationToken).ConfigureAwait(false))?.Log ?? PartLog.Empty;
            var (batch, last, bytes) = await WritePartsAsync(lane, log.Last, Split(write.Sessions), cancellationToken).ConfigureAwait(false);
            head = new Head(write.Offset, LaneSessionRecords.Ticks(write.Watermark), LaneSessionRecords.Ticks(write.ExpireBefore),
                log with { Last = last, Appended = log.Appended + bytes });
            batch.Add(Commit(lane, head));
            await BatchAsync(batch, cancellationToken).ConfigureAwait(false);
            _logs[lane] = head.Log;
        }
        catch
        {
            // What was committed is unknown: the next write reads it.
            _logs.TryRemove(lane, out _);
            throw;
        }

        if (head.Log.Appended > Math.Max(head.Log.Compacted, MinCompactionBytes))
        {
            try
            {
                _logs[lane] = await CompactAsync(lane, head, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The checkpoint is committed; whether the compaction's commit is too is unknown: the next write reads it.
                _logs.TryRemove(lane, out _);
                if (ex is OperationCanceledException)
                {
                    throw;
                }

                _logger.LogWarning(ex, "Compacting lane {Lane} failed; its checkpoint stands and the next one tries again", lane);
            }
        }
    }

    /// <summary>
    /// Notes the site as erased (for compactions under way; by its hash, as its tombstone), then goes through every lane's
    /// partition: parts that hold records of a noted site are rewritten without them, parts a failed compaction left below
    /// the committed range are deleted. Passes repeat until one rewrites nothing: two rewrites of one part at once (two
    /// erasures, or one and a compaction's) carry the same timestamp, and either may win.
    /// </summary>
    public async Task DeleteSiteAsync(string site, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(site);
        var key = SiteTombstones.KeyOf(site);
        await ExecuteAsync(Statement($"INSERT INTO {_erased} (site_key) VALUES (?) USING TTL {ErasedTtlSeconds}", _options.WriteConsistency, key), cancellationToken)
            .ConfigureAwait(false);
        var erased = await ErasedSitesAsync(cancellationToken).ConfigureAwait(false);
        erased.Add(key);
        var lanes = new List<string>();
        await foreach (var row in QueryAsync(Statement($"SELECT DISTINCT lane FROM {_table}", _options.ReadConsistency), cancellationToken).ConfigureAwait(false))
        {
            lanes.Add(row.GetString("lane")!);
        }

        foreach (var lane in lanes)
        {
            // A lane without statics (its first checkpoint never committed) may still have parts.
            var below = (await ReadHeadAsync(lane, cancellationToken).ConfigureAwait(false))?.Log.First ?? long.MinValue;
            var passes = 0;
            while (await RemoveSitesAsync(lane, long.MinValue, below, erased, cancellationToken).ConfigureAwait(false) > 0 && ++passes < MaxErasurePasses)
            {
                // Again: what this pass wrote may have tied with another rewrite and lost.
            }
        }

        await DeleteFromEarlierTablesAsync(site, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Rewrites the lane's parts numbered from <paramref name="from"/> on that hold records of the sites whose hashes are
    /// <paramref name="erased"/> without them (in place, with their own write's timestamp plus one); deletes those below
    /// <paramref name="below"/>. Returns how many it rewrote.
    /// </summary>
    private async Task<int> RemoveSitesAsync(string lane, long from, long below, IReadOnlySet<string> erased, CancellationToken cancellationToken)
    {
        var query = Statement($"SELECT part, sessions, WRITETIME(sessions) AS written FROM {_table} WHERE lane = ? AND part >= ?", _options.ReadConsistency,
            lane, from) with { PageSize = _options.ReadPageSize };
        var filter = new LaneSessionCompaction(_options.MaxBatchBytes);
        var rewritten = 0;
        await foreach (var row in QueryAsync(query, cancellationToken).ConfigureAwait(false))
        {
            if (row.IsNull("part") || row.IsNull("sessions"))
            {
                continue;
            }

            var number = row.GetInt64("part");
            if (number < below)
            {
                await ExecuteAsync(Statement(_deletePart, _options.WriteConsistency, lane, number), cancellationToken)
                    .ConfigureAwait(false);
                continue;
            }

            filter.Clear();
            filter.Add(CassandraBlobCodec.Unpack(row.GetBytes("sessions")));
            var drop = Erased(filter, erased);
            if (drop.Count == 0)
            {
                continue;
            }

            // Kept whole as one part, whatever the batch size is now.
            var kept = new ArrayBufferWriter<byte>();
            foreach (var piece in filter.Parts(long.MinValue, drop))
            {
                kept.Write(piece.Span);
            }

            await ExecuteAsync(Statement($"INSERT INTO {_table} (lane, part, sessions) VALUES (?, ?, ?) USING TIMESTAMP ?", _options.WriteConsistency,
                lane, number, kept.WrittenCount == 0 ? [] : CassandraBlobCodec.Pack(kept.WrittenSpan), row.GetInt64("written") + 1), cancellationToken)
                .ConfigureAwait(false);
            rewritten++;
        }

        return rewritten;
    }

    /// <summary>
    /// Writes packed parts numbered on from past <paramref name="after"/>, each on its own as it comes (past the committed
    /// range, so no reader sees them yet) but the last, which is returned as the first statement of the commit batch.
    /// Returns that batch, the last part's number (<paramref name="after"/> for none) and the bytes of all.
    /// </summary>
    private async Task<(List<CqlStatement> Batch, long Last, long Bytes)> WritePartsAsync(string lane, long after, IEnumerable<byte[]> parts,
        CancellationToken cancellationToken)
    {
        var number = after;
        var bytes = 0L;
        byte[]? pending = null;
        foreach (var part in parts)
        {
            if (pending is not null)
            {
                await ExecuteAsync(Statement(_insertPart, _options.WriteConsistency, lane, ++number, pending), cancellationToken).ConfigureAwait(false);
            }

            pending = part;
            bytes += part.Length;
        }

        var batch = new List<CqlStatement>(2);
        if (pending is not null)
        {
            batch.Add(Statement(_insertPart, _options.WriteConsistency, lane, ++number, pending));
        }

        return (batch, number, bytes);
    }

    /// <summary>The sites of the merged records whose hashes are noted as erased.</summary>
    private static List<string> Erased(LaneSessionCompaction compaction, IReadOnlySet<string> erased) =>
        erased.Count == 0 ? [] : [.. compaction.Sites().Where(site => erased.Contains(SiteTombstones.KeyOf(site)))];

    /// <summary>
    /// Merges the lane's committed parts, without expired sessions and erased sites, into new parts past them, commits
    /// those, then deletes the old parts (and any a failed compaction left). A site erased during the merge is removed
    /// from the new parts after the commit.
    /// </summary>
    private async Task<PartLog> CompactAsync(string lane, Head head, CancellationToken cancellationToken)
    {
        await _compacting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var erased = await ErasedSitesAsync(cancellationToken).ConfigureAwait(false);
            var compaction = _compaction;
            compaction.Clear();
            await foreach (var (_, part) in ReadPartsAsync(lane, head.Log.First, head.Log.Last, cancellationToken).ConfigureAwait(false))
            {
                compaction.Add(part);
            }

            var drop = Erased(compaction, erased);

            var (batch, last, bytes) = await WritePartsAsync(lane, head.Log.Last,
                compaction.Parts(head.ExpireBefore, drop).Select(part => CassandraBlobCodec.Pack(part.Span)), cancellationToken).ConfigureAwait(false);
            var compacted = head with { Log = new PartLog(head.Log.Last + 1, last, bytes, 0, head.Log.DeletedBelow) };
            batch.Add(Commit(lane, compacted));
            await BatchAsync(batch, cancellationToken).ConfigureAwait(false);

            var late = await ErasedSitesAsync(cancellationToken).ConfigureAwait(false);
            late.ExceptWith(erased);
            if (late.Count > 0)
            {
                await RemoveSitesAsync(lane, compacted.Log.First, long.MinValue, late, cancellationToken).ConfigureAwait(false);
            }

            // From where the last compaction's deletes got to, so that parts a failed one left go too.
            for (var first = head.Log.DeletedBelow; first < compacted.Log.First; first += DeletesPerBatch)
            {
                var end = Math.Min(compacted.Log.First, first + DeletesPerBatch);
                await BatchAsync(Enumerable.Range(0, (int)(end - first)).Select(i => Statement(_deletePart,
                    _options.WriteConsistency, lane, first + i)), cancellationToken).ConfigureAwait(false);
            }

            await ExecuteAsync(Statement($"UPDATE {_table} SET deleted_below = ? WHERE lane = ?", _options.WriteConsistency, compacted.Log.First, lane),
                cancellationToken).ConfigureAwait(false);
            return compacted.Log with { DeletedBelow = compacted.Log.First };
        }
        finally
        {
            _compaction.Clear();
            _compacting.Release();
        }
    }

    /// <summary>The hashes (<see cref="SiteTombstones.KeyOf"/>) of the sites erased within the last day.</summary>
    private async Task<HashSet<string>> ErasedSitesAsync(CancellationToken cancellationToken)
    {
        var sites = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in QueryAsync(Statement($"SELECT site_key FROM {_erased}", _options.ReadConsistency), cancellationToken).ConfigureAwait(false))
        {
            sites.Add(row.GetString("site_key")!);
        }

        return sites;
    }

    private CqlStatement Commit(string lane, Head head) => Statement(_commit, _options.WriteConsistency,
        head.Offset, head.Watermark, head.ExpireBefore, head.Log.First, head.Log.Last, head.Log.Compacted, head.Log.Appended, lane);

    private async Task<Head?> ReadHeadAsync(string lane, CancellationToken cancellationToken)
    {
        var rows = await ExecuteAsync(Statement(_selectHead, _options.ReadConsistency, lane), cancellationToken).ConfigureAwait(false);
        if (rows.Rows.Count == 0 || rows.Rows[0].IsNull("lane_offset"))
        {
            return null;
        }

        var row = rows.Rows[0];
        return new Head(row.GetInt64("lane_offset"), row.GetInt64("watermark"), row.GetInt64("expire_before"),
            new PartLog(row.GetInt64("first_part"), row.GetInt64("last_part"), row.GetInt64("compacted_bytes"), row.GetInt64("appended_bytes"),
                row.IsNull("deleted_below") ? 0 : row.GetInt64("deleted_below")));
    }

    /// <summary>
    /// The lane's checkpoint as builds before the log of parts stored it: <c>{prefix}_state (lane, visitor)</c>, a row per
    /// session under static columns, with the sessions of a staged write (<c>{prefix}_staged</c>) laid over them while the
    /// lane points at it; null when those tables or the lane's row do not exist.
    /// </summary>
    private async Task<LaneCheckpointWrite?> ReadEarlierTablesAsync(string lane, CancellationToken cancellationToken)
    {
        var state = Qualified($"{_options.TablePrefix}_state");
        CqlRowSet head;
        try
        {
            head = await ExecuteAsync(Statement($"SELECT lane_offset, watermark, expire_before, staged FROM {state} WHERE lane = ? LIMIT 1",
                _options.ReadConsistency, lane), cancellationToken).ConfigureAwait(false);
        }
        catch (CqlInvalidException)
        {
            return null; // no such table: nothing was ever stored the earlier way
        }

        if (head.Rows.Count == 0 || head.Rows[0].IsNull("lane_offset"))
        {
            return null;
        }

        var row = head.Rows[0];
        var sessions = new Dictionary<ulong, StoredLaneSession>();
        await ReadEarlierSessionsAsync(Statement($"SELECT visitor, site, session_end, state FROM {state} WHERE lane = ?", _options.ReadConsistency, lane),
            sessions, cancellationToken).ConfigureAwait(false);
        if (!row.IsNull("staged"))
        {
            await ReadEarlierSessionsAsync(Statement($"SELECT visitor, site, session_end, state FROM {Qualified($"{_options.TablePrefix}_staged")} WHERE lane = ? AND write_id = ?",
                _options.ReadConsistency, lane, row.GetGuid("staged")), sessions, cancellationToken).ConfigureAwait(false);
        }

        var expireBefore = Time(row.GetInt64("expire_before"));
        var erased = await ErasedSitesAsync(cancellationToken).ConfigureAwait(false);
        return new LaneCheckpointWrite(row.GetInt64("lane_offset"), Time(row.GetInt64("watermark")),
            [.. sessions.Values.Where(s => s.End >= expireBefore && !erased.Contains(SiteTombstones.KeyOf(s.Site)))], expireBefore);
    }

    /// <summary>Deletes the site's sessions from the earlier tables by key, where they exist (lanes not carried over yet).</summary>
    private async Task DeleteFromEarlierTablesAsync(string site, CancellationToken cancellationToken)
    {
        foreach (var (table, key) in new[] { ($"{_options.TablePrefix}_state", "lane"), ($"{_options.TablePrefix}_staged", "lane, write_id") })
        {
            var name = Qualified(table);
            var rows = new List<CqlRow>();
            try
            {
                await foreach (var row in QueryAsync(Statement($"SELECT {key}, visitor, site FROM {name}", _options.ReadConsistency) with { PageSize = 5000 },
                    cancellationToken).ConfigureAwait(false))
                {
                    if (!row.IsNull("visitor") && row.GetString("site") == site)
                    {
                        rows.Add(row);
                    }
                }
            }
            catch (CqlInvalidException)
            {
                return; // no such tables
            }

            foreach (var row in rows)
            {
                var statement = key == "lane"
                    ? Statement($"DELETE FROM {name} WHERE lane = ? AND visitor = ?", _options.WriteConsistency, row.GetString("lane"), row.GetInt64("visitor"))
                    : Statement($"DELETE FROM {name} WHERE lane = ? AND write_id = ? AND visitor = ?", _options.WriteConsistency,
                        row.GetString("lane"), row.GetGuid("write_id"), row.GetInt64("visitor"));
                await ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ReadEarlierSessionsAsync(CqlStatement query, Dictionary<ulong, StoredLaneSession> sessions, CancellationToken cancellationToken)
    {
        await foreach (var row in QueryAsync(query with { PageSize = 5000 }, cancellationToken).ConfigureAwait(false))
        {
            // A partition with only its static columns reads as one row without a visitor.
            if (!row.IsNull("visitor"))
            {
                var visitor = unchecked((ulong)row.GetInt64("visitor"));
                sessions[visitor] = new StoredLaneSession(visitor, row.GetString("site")!, Time(row.GetInt64("session_end")), row.GetBytes("state") ?? []);
            }
        }
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
                yield return (row.GetInt64("part"), CassandraBlobCodec.Unpack(row.GetBytes("sessions")));
            }
        }
    }

    /// <summary>The sessions as parts of at most <see cref="CassandraLaneStateStoreOptions.MaxBatchBytes"/> of records (whole ones, at least one each), packed; none for none.</summary>
    private List<byte[]> Split(IReadOnlyList<StoredLaneSession> sessions)
    {
        var parts = new List<byte[]>();
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var session in sessions)
        {
            if (buffer.WrittenCount > 0 && buffer.WrittenCount + LaneSessionRecords.Size(session) > _options.MaxBatchBytes)
            {
                parts.Add(CassandraBlobCodec.Pack(buffer.WrittenSpan));
                buffer.ResetWrittenCount();
            }

            LaneSessionRecords.Write(session, buffer);
        }

        if (buffer.WrittenCount > 0)
        {
            parts.Add(CassandraBlobCodec.Pack(buffer.WrittenSpan));
        }

        return parts;
    }

    private static DateTime Time(long ticks) => new(ticks, DateTimeKind.Utc);

    private string Qualified(string table) => $"\"{_options.Keyspace}\".\"{table}\"";

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
            deleted_below bigint static,
            PRIMARY KEY (lane, part))
            WITH gc_grace_seconds = {GcGraceSeconds}
        """,
        $"CREATE TABLE IF NOT EXISTS {_erased} (site_key text PRIMARY KEY) WITH gc_grace_seconds = {GcGraceSeconds}",
    ];

    /// <summary>
    /// A lane's committed parts (<see cref="First"/> to <see cref="Last"/>, none when first is past last), their weights,
    /// and how far the deletes of merged parts got (every part below <see cref="DeletedBelow"/> is gone).
    /// </summary>
    private readonly record struct PartLog(long First, long Last, long Compacted, long Appended, long DeletedBelow)
    {
        public static PartLog Empty => new(0, -1, 0, 0, 0);
    }

    /// <summary>A lane's static columns: its checkpoint (times as UTC ticks) and its parts.</summary>
    private readonly record struct Head(long Offset, long Watermark, long ExpireBefore, PartLog Log);
}
