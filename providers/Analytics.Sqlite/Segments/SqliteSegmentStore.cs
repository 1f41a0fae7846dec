using System.Globalization;
using Analytics.Abstractions.Segments;
using Analytics.GrainInterfaces.Segments;
using Analytics.Sqlite.Storage;

namespace Analytics.Sqlite.Segments;

/// <summary>
/// The embedded profile's <see cref="ISegmentStore"/>: one SQLite file (segments.db) with a table of sealed payloads and
/// one of the batches appended since, both keyed by (site, UTC day). Writes queue to one writer
/// (<see cref="SqliteWriteQueue{TWrite}"/>) that commits whatever queued meanwhile in one transaction, so the many small
/// appends of a busy silo cost a few commits; a write's task completes once its transaction committed. Reads use a second connection (WAL lets them run beside the writer) inside
/// a read transaction, so a seal committing between reading a segment's payload and its batches cannot hide batches.
/// </summary>
public sealed class SqliteSegmentStore : SqliteStore, ISegmentStore
{
    private const string DayFormat = "yyyy-MM-dd";

    // Rowid tables: sealed payloads run to megabytes, which SQLite keeps better in rowid tables than WITHOUT ROWID ones.
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS sealed_segments (
            site TEXT NOT NULL,
            day TEXT NOT NULL,
            payload BLOB NOT NULL,
            UNIQUE (site, day)
        );
        CREATE TABLE IF NOT EXISTS segment_batches (
            site TEXT NOT NULL,
            day TEXT NOT NULL,
            batch INTEGER NOT NULL,
            payload BLOB NOT NULL,
            UNIQUE (site, day, batch)
        );
        """;

    private readonly SqliteWriteQueue<PendingWrite> _writes;
    private readonly SqliteStatement _append;
    private readonly SqliteStatement _seal;
    private readonly SqliteStatement _dropBatches;
    private readonly SqliteStatement _deleteSealed;
    private readonly SqliteStatement _deleteBatches;
    private readonly SqliteStatement _selectSealed;
    private readonly SqliteStatement _selectBatches;
    private readonly SqliteStatement _selectDays;

    public SqliteSegmentStore(string path, SqliteSegmentStoreOptions options)
        : base(path, Schema, options.CacheKiB)
    {
        _append = Prepare(Writer, "INSERT INTO segment_batches (site, day, batch, payload) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (site, day, batch) DO UPDATE SET payload = excluded.payload");
        _seal = Prepare(Writer, "INSERT INTO sealed_segments (site, day, payload) VALUES (?1, ?2, ?3) ON CONFLICT (site, day) DO UPDATE SET payload = excluded.payload");
        _dropBatches = Prepare(Writer, "DELETE FROM segment_batches WHERE site = ?1 AND day = ?2 AND batch <= ?3");
        _deleteSealed = Prepare(Writer, "DELETE FROM sealed_segments WHERE site = ?1");
        _deleteBatches = Prepare(Writer, "DELETE FROM segment_batches WHERE site = ?1");
        _selectSealed = Prepare(Reader, "SELECT rowid FROM sealed_segments WHERE site = ?1 AND day = ?2");
        _selectBatches = Prepare(Reader, "SELECT batch, payload FROM segment_batches WHERE site = ?1 AND day = ?2 ORDER BY batch");
        _selectDays = Prepare(Reader, "SELECT day FROM sealed_segments WHERE site = ?1 UNION SELECT day FROM segment_batches WHERE site = ?1 ORDER BY 1");
        _writes = new(Writer, ReadLock, options.MaxWriteBatch, Apply, w => w.Kind == WriteKind.DeleteSite);
    }

    public Task AppendAsync(string segment, long batch, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        _writes.EnqueueAsync(new PendingWrite(WriteKind.Append, SegmentKey.Parse(segment), batch, payload), cancellationToken);

    public Task SealAsync(string segment, ReadOnlyMemory<byte> payload, long lastBatch, CancellationToken cancellationToken) =>
        _writes.EnqueueAsync(new PendingWrite(WriteKind.Seal, SegmentKey.Parse(segment), lastBatch, payload), cancellationToken);

    /// <summary>Deletes the site's rows and then empties the write-ahead log, so the erased bytes live on in neither file.</summary>
    public Task DeleteSiteAsync(string site, CancellationToken cancellationToken) =>
        _writes.EnqueueAsync(new PendingWrite(WriteKind.DeleteSite, new SegmentKey(site, default), 0, default), cancellationToken);

    public Task<StoredSegment> ReadAsync(string segment, CancellationToken cancellationToken)
    {
        var key = SegmentKey.Parse(segment);
        var day = DayText(key.Day);
        return ReadInTransactionAsync(() =>
        {
            try
            {
                byte[]? sealedPayload = null;
                if (_selectSealed.Bind(1, key.Site).Bind(2, day).Read())
                {
                    sealedPayload = SqliteStatement.ReadBlob(Reader, "sealed_segments", "payload", _selectSealed.Int64(0));
                }

                var batches = new List<StoredBatch>();
                _selectBatches.Bind(1, key.Site).Bind(2, day);
                while (_selectBatches.Read())
                {
                    batches.Add(new StoredBatch(_selectBatches.Int64(0), _selectBatches.Blob(1).ToArray()));
                }

                return sealedPayload is null && batches.Count == 0 ? StoredSegment.Empty : new StoredSegment(sealedPayload, batches);
            }
            finally
            {
                _selectSealed.Reset();
                _selectBatches.Reset();
            }
        }, cancellationToken);
    }

    public Task<IReadOnlyList<DateOnly>> ListDaysAsync(string site, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<DateOnly>>(() =>
        {
            var days = new List<DateOnly>();
            _selectDays.Bind(1, site);
            try
            {
                while (_selectDays.Read())
                {
                    days.Add(DateOnly.ParseExact(_selectDays.Text(0), DayFormat, CultureInfo.InvariantCulture));
                }
            }
            finally
            {
                _selectDays.Reset();
            }

            return days;
        }, cancellationToken);

    private protected override ValueTask CloseWritesAsync() => _writes.DisposeAsync();

    private static string DayText(DateOnly day) => day.ToString(DayFormat, CultureInfo.InvariantCulture);

    private void Apply(PendingWrite write)
    {
        var site = write.Key.Site;
        switch (write.Kind)
        {
            case WriteKind.Append:
                _append.Bind(1, site).Bind(2, DayText(write.Key.Day)).Bind(3, write.Batch).Bind(4, write.Payload.Span).Execute();
                break;
            case WriteKind.Seal:
                _seal.Bind(1, site).Bind(2, DayText(write.Key.Day)).Bind(3, write.Payload.Span).Execute();
                _dropBatches.Bind(1, site).Bind(2, DayText(write.Key.Day)).Bind(3, write.Batch).Execute();
                break;
            default:
                _deleteSealed.Bind(1, site).Execute();
                _deleteBatches.Bind(1, site).Execute();
                break;
        }
    }

    private enum WriteKind
    {
        Append,
        Seal,
        DeleteSite,
    }

    /// <summary>One queued write; <see cref="Batch"/> is the batch appended, or the last batch a seal includes.</summary>
    private sealed record PendingWrite(WriteKind Kind, SegmentKey Key, long Batch, ReadOnlyMemory<byte> Payload);
}
