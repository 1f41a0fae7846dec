using System.Collections.Concurrent;
using System.Globalization;
using Analytics.Abstractions.Segments;
using Analytics.Cassandra.Storage;
using Analytics.Cql;
using Analytics.GrainInterfaces.Segments;
using Analytics.GrainInterfaces.Storage;

namespace Analytics.Cassandra.Segments;

/// <summary>
/// The cluster profile's <see cref="ISegmentStore"/>, in three tables of one keyspace:
/// <list type="bullet">
/// <item><c>{prefix}_chunks ((site, day), version, chunk)</c>: sealed payloads in cells of at most
/// <see cref="CassandraSegmentStoreOptions.ChunkSize"/> bytes. A seal writes its chunks under a new version, then points
/// the partition's static columns (<c>sealed_version</c>, <c>sealed_chunks</c>) at it, then deletes the older chunks:
/// a crash midway leaves the previous payload readable, never a mix of two.</item>
/// <item><c>{prefix}_batches ((site, day), batch_number, chunk)</c>: the open batches, chunked the same way. A batch missing a
/// chunk was never acknowledged (its append failed or its writer died) and is left out of reads.</item>
/// <item><c>{prefix}_days (site, day)</c>: the per-site index, written before a segment's data, so that listing and
/// erasing a site reach every partition it has. Written once per segment, not per append: the store remembers the
/// segments it indexed or read with data (data implies the index, which erasure deletes last), and forgets one whose
/// read finds nothing. Every activation reads its segment first and erasure deactivates them before it deletes, so a
/// segment erased on another silo and written again here is read empty here first, and indexed again.</item>
/// </list>
/// Every statement is idempotent and goes through the session's retry and circuit breaker; Cassandra out of reach
/// surfaces as <see cref="StorageUnavailableException"/>.
/// </summary>
public sealed class CassandraSegmentStore : CassandraStore, ISegmentStore
{
    private const string DayFormat = "yyyy-MM-dd";

    /// <summary>Reads of a sealed payload that may race a seal replacing it before one is whole.</summary>
    private const int SealedReadAttempts = 3;

    /// <summary>Bytes of chunks fetched per page of a read.</summary>
    private const int PageBytes = 4 * CassandraSegmentStoreOptions.MaxChunkSize;

    /// <summary>Row deletes per unlogged batch: ~60 bytes each, under Cassandra's 64 KB batch size warning.</summary>
    private const int DeletesPerBatch = 100;

    /// <summary>Segments remembered as indexed before the memory starts over (an index write again is harmless).</summary>
    private const int MaxIndexed = 100_000;

    private readonly CassandraSegmentStoreOptions _options;
    private readonly string _chunks;
    private readonly string _batches;
    private readonly string _days;
    private readonly ConcurrentDictionary<string, bool> _indexed = new(StringComparer.Ordinal);

    public CassandraSegmentStore(CassandraSegmentStoreOptions options, ILoggerFactory? loggerFactory = null)
        : base("segment store", options, loggerFactory)
    {
        _options = options;
        _chunks = $"\"{options.Keyspace}\".\"{options.ChunksTable}\"";
        _batches = $"\"{options.Keyspace}\".\"{options.BatchesTable}\"";
        _days = $"\"{options.Keyspace}\".\"{options.DaysTable}\"";
    }

    protected override IEnumerable<string> Validate() => CassandraSegmentStoreOptionsValidator.Validate(_options);

    protected override void LogReady(ILogger logger) => logger.LogInformation(
        "Cassandra segment store ready on {Keyspace}.{Prefix}_* ({ChunkSize} bytes per cell)", _options.Keyspace, _options.TablePrefix, _options.ChunkSize);

    public async Task AppendAsync(string segment, long batch, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var (site, day) = Partition(segment);
        await IndexAsync(segment, site, day, cancellationToken).ConfigureAwait(false);
        var chunks = Split(payload);
        await WriteAllAsync(chunks.Select((chunk, i) => Statement(
            $"INSERT INTO {_batches} (site, day, batch_number, chunk, chunks, data) VALUES (?, ?, ?, ?, ?, ?)",
            _options.WriteConsistency, site, day, batch, i, chunks.Count, chunk)), cancellationToken).ConfigureAwait(false);
    }

    public async Task SealAsync(string segment, ReadOnlyMemory<byte> payload, long lastBatch, CancellationToken cancellationToken)
    {
        var (site, day) = Partition(segment);
        await IndexAsync(segment, site, day, cancellationToken).ConfigureAwait(false);
        var older = new List<(long Version, int Chunk)>();
        var version = 0L;
        await foreach (var row in QueryAsync(Statement($"SELECT sealed_version, version, chunk FROM {_chunks} WHERE site = ? AND day = ?",
            _options.ReadConsistency, site, day), cancellationToken).ConfigureAwait(false))
        {
            version = Math.Max(version, row.IsNull("sealed_version") ? 0 : row.GetInt64("sealed_version"));
            if (!row.IsNull("version"))
            {
                older.Add((row.GetInt64("version"), row.GetInt32("chunk")));
                version = Math.Max(version, row.GetInt64("version"));
            }
        }

        version++;
        var chunks = Split(payload);
        await WriteAllAsync(chunks.Select((chunk, i) => Statement(
            $"INSERT INTO {_chunks} (site, day, version, chunk, data) VALUES (?, ?, ?, ?, ?)",
            _options.WriteConsistency, site, day, version, i, chunk)), cancellationToken).ConfigureAwait(false);
        // The commit point: from here on, reads assemble the new version.
        await ExecuteAsync(Statement($"UPDATE {_chunks} SET sealed_version = ?, sealed_chunks = ? WHERE site = ? AND day = ?",
            _options.WriteConsistency, version, chunks.Count, site, day), cancellationToken).ConfigureAwait(false);
        await WriteAllAsync(older.Select(o => Statement($"DELETE FROM {_chunks} WHERE site = ? AND day = ? AND version = ? AND chunk = ?",
            _options.WriteConsistency, site, day, o.Version, o.Chunk)), cancellationToken).ConfigureAwait(false);

        // Cassandra 2.1 deletes rows only by their full key: list the included batches' chunks, then delete each.
        var included = new List<(long Batch, int Chunk)>();
        await foreach (var row in QueryAsync(Statement($"SELECT batch_number, chunk FROM {_batches} WHERE site = ? AND day = ? AND batch_number <= ?",
            _options.ReadConsistency, site, day, lastBatch), cancellationToken).ConfigureAwait(false))
        {
            included.Add((row.GetInt64("batch_number"), row.GetInt32("chunk")));
        }

        // A compaction follows a thousand appends: one single-partition batch per hundred rows, not a round trip per row,
        // since the segment takes no append meanwhile (a lane waited a second for it under load).
        await Parallel.ForEachAsync(included.Chunk(DeletesPerBatch), new ParallelOptions { MaxDegreeOfParallelism = _options.WriteParallelism, CancellationToken = cancellationToken },
            async (rows, token) => await PartitionBatchAsync(rows.Select(b => Statement($"DELETE FROM {_batches} WHERE site = ? AND day = ? AND batch_number = ? AND chunk = ?",
                _options.WriteConsistency, site, day, b.Batch, b.Chunk)), _options.WriteConsistency, token).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the batches before the sealed payload: a seal landing in between then shows batches that the payload also
    /// includes (which replay harmlessly), never a payload without batches it does not include.
    /// </summary>
    public async Task<StoredSegment> ReadAsync(string segment, CancellationToken cancellationToken)
    {
        var (site, day) = Partition(segment);
        var batches = await ReadBatchesAsync(site, day, cancellationToken).ConfigureAwait(false);
        var sealedPayload = await ReadSealedAsync(segment, site, day, cancellationToken).ConfigureAwait(false);
        if (sealedPayload is null && batches.Count == 0)
        {
            _indexed.TryRemove(segment, out _);
            return StoredSegment.Empty;
        }

        Remember(segment);
        return new StoredSegment(sealedPayload, batches);
    }

    public async Task<IReadOnlyList<DateOnly>> ListDaysAsync(string site, CancellationToken cancellationToken)
    {
        var days = new List<DateOnly>();
        await foreach (var row in QueryAsync(Statement($"SELECT day FROM {_days} WHERE site = ?", _options.ReadConsistency, site), cancellationToken)
            .ConfigureAwait(false))
        {
            days.Add(DateOnly.ParseExact(row.GetString("day")!, DayFormat, CultureInfo.InvariantCulture));
        }

        return days;
    }

    /// <summary>Deletes every partition the site's index lists, then the index: a failure midway leaves it for the retry.</summary>
    public async Task DeleteSiteAsync(string site, CancellationToken cancellationToken)
    {
        var days = await ListDaysAsync(site, cancellationToken).ConfigureAwait(false);
        await WriteAllAsync(days.SelectMany(d => new[] { _chunks, _batches }.Select(table => Statement(
            $"DELETE FROM {table} WHERE site = ? AND day = ?", _options.WriteConsistency, site, DayText(d)))), cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(Statement($"DELETE FROM {_days} WHERE site = ?", _options.WriteConsistency, site), cancellationToken).ConfigureAwait(false);
        foreach (var day in days)
        {
            _indexed.TryRemove(new SegmentKey(site, day).ToString(), out _);
        }
    }

    private async Task<List<StoredBatch>> ReadBatchesAsync(string site, string day, CancellationToken cancellationToken)
    {
        var batches = new List<StoredBatch>();
        var parts = new List<byte[]>();
        long? current = null;
        var expected = 0;
        await foreach (var row in QueryAsync(Statement($"SELECT batch_number, chunk, chunks, data FROM {_batches} WHERE site = ? AND day = ?",
            _options.ReadConsistency, site, day) with { PageSize = PageSize }, cancellationToken).ConfigureAwait(false))
        {
            var batch = row.GetInt64("batch_number");
            if (batch != current)
            {
                AddIfWhole(batches, current, parts, expected);
                (current, expected) = (batch, row.GetInt32("chunks"));
                parts.Clear();
            }

            // Rows past the count are left over from a longer write of the same batch number that this one replaced.
            if (row.GetInt32("chunk") == parts.Count && parts.Count < expected)
            {
                parts.Add(row.GetBytes("data") ?? []);
            }
        }

        AddIfWhole(batches, current, parts, expected);
        return batches;
    }

    private static void AddIfWhole(List<StoredBatch> batches, long? batch, List<byte[]> parts, int expected)
    {
        if (batch is { } number && parts.Count == expected)
        {
            batches.Add(new StoredBatch(number, Concat(parts)));
        }
    }

    /// <summary>
    /// The chunks of the version the static columns point at, read by that version: Cassandra 2.1.0 returns static
    /// columns as null on every page after the first (CASSANDRA-8502), so they are read alone first.
    /// </summary>
    private async Task<byte[]?> ReadSealedAsync(string segment, string site, string day, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var pointer = await ExecuteAsync(Statement($"SELECT sealed_version, sealed_chunks FROM {_chunks} WHERE site = ? AND day = ? LIMIT 1",
                _options.ReadConsistency, site, day), cancellationToken).ConfigureAwait(false);
            if (pointer.Rows.Count == 0 || pointer.Rows[0].IsNull("sealed_version"))
            {
                return null;
            }

            var version = pointer.Rows[0].GetInt64("sealed_version");
            var expected = pointer.Rows[0].GetInt32("sealed_chunks");
            var parts = new List<byte[]>();
            await foreach (var row in QueryAsync(Statement($"SELECT chunk, data FROM {_chunks} WHERE site = ? AND day = ? AND version = ? AND chunk < ?",
                _options.ReadConsistency, site, day, version, expected) with { PageSize = PageSize }, cancellationToken).ConfigureAwait(false))
            {
                if (row.GetInt32("chunk") == parts.Count)
                {
                    parts.Add(row.GetBytes("data") ?? []);
                }
            }

            if (parts.Count == expected)
            {
                return Concat(parts);
            }

            // A seal replaced this version while it was read: read the new one.
            if (attempt == SealedReadAttempts)
            {
                throw new InvalidDataException($"Segment '{segment}': sealed version {version} has {parts.Count} of its {expected} chunks.");
            }
        }
    }

    private int PageSize => Math.Max(1, PageBytes / _options.ChunkSize);

    private async Task IndexAsync(string segment, string site, string day, CancellationToken cancellationToken)
    {
        if (_indexed.ContainsKey(segment))
        {
            return;
        }

        await ExecuteAsync(Statement($"INSERT INTO {_days} (site, day) VALUES (?, ?)", _options.WriteConsistency, site, day), cancellationToken).ConfigureAwait(false);
        Remember(segment);
    }

    private void Remember(string segment)
    {
        if (_indexed.Count >= MaxIndexed)
        {
            _indexed.Clear();
        }

        _indexed[segment] = true;
    }

    /// <summary>At least one chunk, so that an empty payload is stored too.</summary>
    private List<ReadOnlyMemory<byte>> Split(ReadOnlyMemory<byte> payload)
    {
        var chunks = new List<ReadOnlyMemory<byte>>();
        var offset = 0;
        do
        {
            var length = Math.Min(_options.ChunkSize, payload.Length - offset);
            chunks.Add(payload.Slice(offset, length));
            offset += length;
        }
        while (offset < payload.Length);
        return chunks;
    }

    private static byte[] Concat(List<byte[]> parts)
    {
        var whole = new byte[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(whole, offset);
            offset += part.Length;
        }

        return whole;
    }

    private static (string Site, string Day) Partition(string segment)
    {
        var key = SegmentKey.Parse(segment);
        return (key.Site, DayText(key.Day));
    }

    private static string DayText(DateOnly day) => day.ToString(DayFormat, CultureInfo.InvariantCulture);

    private Task WriteAllAsync(IEnumerable<CqlStatement> statements, CancellationToken cancellationToken)
    {
        // One statement (an append of one chunk, the usual case) needs no parallel loop.
        var all = statements.ToList();
        return all.Count == 1
            ? ExecuteAsync(all[0], cancellationToken)
            : Parallel.ForEachAsync(all, new ParallelOptions { MaxDegreeOfParallelism = _options.WriteParallelism, CancellationToken = cancellationToken },
                async (statement, token) => await ExecuteAsync(statement, token).ConfigureAwait(false));
    }

    protected override string[] Schema =>
    [
        $"""
        CREATE TABLE IF NOT EXISTS {_chunks} (
            site text, day text, version bigint, chunk int, data blob,
            sealed_version bigint static, sealed_chunks int static,
            PRIMARY KEY ((site, day), version, chunk))
        """,
        $"""
        CREATE TABLE IF NOT EXISTS {_batches} (
            site text, day text, batch_number bigint, chunk int, chunks int, data blob,
            PRIMARY KEY ((site, day), batch_number, chunk))
        """,
        $"""
        CREATE TABLE IF NOT EXISTS {_days} (
            site text, day text,
            PRIMARY KEY (site, day))
        """,
    ];
}
