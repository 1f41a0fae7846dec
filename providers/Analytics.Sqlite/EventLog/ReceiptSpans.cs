using Analytics.Sqlite.Storage;
using Microsoft.Data.Sqlite;

namespace Analytics.Sqlite.EventLog;

/// <summary>
/// Where the log's rows received in a time range lie, for the retention purge and exports by receipt time, without an
/// index by receipt time: that index cost a page write per commit and a tenth of an accepted beacon's CPU. The writer
/// keeps the open span of its latest commits in memory and writes it as a row of <c>receipt_spans</c> every
/// <see cref="SpanTime"/> or <see cref="EventLogOptions.ReceiptSpanRows"/> sequence numbers, in the transaction of the
/// commit that closes it. A span's bounds hold whatever receipt times its rows carry (a backdated append widens them),
/// so a read by receipt time scans the sequence ranges of the spans it overlaps and filters: exact, over at most a
/// span's rows too many at each end (and the spans of backdated rows). The open span is written when the log closes,
/// and rebuilt from the rows after the last written one when it opens after a crash (or in a file written before spans
/// existed, from its time index, which is then dropped). Rows inserted by another writer while the log is open are in no
/// span: the log is its file's only writer.
/// </summary>
internal sealed class ReceiptSpans : IDisposable
{
    private static readonly TimeSpan SpanTime = TimeSpan.FromSeconds(30);

    private readonly long _spanRows;
    private readonly SqliteStatement _insert;
    private readonly Lock _lock = new();
    // Under the lock: the rows committed since the last written span, and when the first of them was.
    private ReceiptSpan _open = ReceiptSpan.Empty;
    private long _openedAt;
    // The writer's own, between Stage and Commit.
    private ReceiptSpan _staged = ReceiptSpan.Empty;
    private bool _stagedWritten;

    public ReceiptSpans(SqliteConnection writer, long spanRows)
    {
        _spanRows = spanRows;
        // Indexed by the earliest receipt: the purge asks for the spans received before its cutoff.
        SqliteDatabase.Execute(writer, """
            CREATE TABLE IF NOT EXISTS receipt_spans (first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL, min_received INTEGER NOT NULL, max_received INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS receipt_spans_by_min ON receipt_spans (min_received);
            """);
        bool timeIndexed;
        using (var probe = writer.CreateCommand())
        {
            probe.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'events_by_time'";
            timeIndexed = (long)probe.ExecuteScalar()! > 0;
        }

        using (var rebuild = writer.CreateCommand())
        {
            // Grouped by receipt time, so that a file that never had spans gets spans as narrow as the writer's; from the
            // time index such a file has (receipt and sequence only), not from its rows.
            rebuild.CommandText = $"""
                INSERT INTO receipt_spans (first_seq, last_seq, min_received, max_received)
                SELECT MIN(seq), MAX(seq), MIN(received_at), MAX(received_at) FROM events {(timeIndexed ? "INDEXED BY events_by_time" : "")}
                WHERE seq > (SELECT COALESCE(MAX(last_seq), 0) FROM receipt_spans)
                GROUP BY received_at / $span
                """;
            rebuild.Parameters.AddWithValue("$span", SpanTime.Ticks);
            rebuild.ExecuteNonQuery();
        }

        SqliteDatabase.Execute(writer, "DROP INDEX IF EXISTS events_by_time");
        _insert = new SqliteStatement(writer, "INSERT INTO receipt_spans (first_seq, last_seq, min_received, max_received) VALUES (?1, ?2, ?3, ?4)");
    }

    /// <summary>
    /// On the writer, in a commit's transaction after its rows: the open span with <paramref name="rows"/> added, written
    /// when it is due. Takes effect at <see cref="Commit"/>; a commit rolled back leaves the open span as it was.
    /// </summary>
    public void Stage(ReceiptSpan rows)
    {
        var now = Environment.TickCount64;
        ReceiptSpan open;
        long openedAt;
        lock (_lock)
        {
            (open, openedAt) = (_open, _openedAt);
        }

        _staged = open.Merge(rows);
        _stagedWritten = !open.IsEmpty && (_staged.Last - _staged.First + 1 >= _spanRows || now - openedAt >= SpanTime.TotalMilliseconds);
        if (_stagedWritten)
        {
            Write(_staged);
        }
    }

    /// <summary>On the writer, once the staged commit is durable.</summary>
    public void Commit()
    {
        lock (_lock)
        {
            if (_stagedWritten || _open.IsEmpty)
            {
                _openedAt = Environment.TickCount64;
            }

            _open = _stagedWritten ? ReceiptSpan.Empty : _staged;
        }
    }

    /// <summary>
    /// The sequence ranges, in order and apart, holding every row received in [<paramref name="fromTicks"/>,
    /// <paramref name="toTicks"/>) that was committed before the call (and maybe later ones).
    /// </summary>
    public List<(long First, long Last)> Ranges(SqliteConnection connection, long fromTicks, long toTicks)
    {
        ReceiptSpan open;
        lock (_lock)
        {
            open = _open;
        }

        var spans = new List<(long First, long Last)>();
        if (open.Overlaps(fromTicks, toTicks))
        {
            spans.Add((open.First, open.Last));
        }

        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT first_seq, last_seq FROM receipt_spans WHERE min_received < $t AND max_received >= $f";
            command.Parameters.AddWithValue("$f", fromTicks);
            command.Parameters.AddWithValue("$t", toTicks);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                spans.Add((reader.GetInt64(0), reader.GetInt64(1)));
            }
        }

        // The open span, read first, may have been written meanwhile: ranges that overlap are read once.
        spans.Sort();
        var merged = new List<(long First, long Last)>(spans.Count);
        foreach (var span in spans)
        {
            if (merged.Count > 0 && span.First <= merged[^1].Last + 1)
            {
                merged[^1] = (merged[^1].First, Math.Max(merged[^1].Last, span.Last));
            }
            else
            {
                merged.Add(span);
            }
        }

        return merged;
    }

    /// <summary>Forgets the written spans received before <paramref name="cutoffTicks"/> whose rows are all gone.</summary>
    public static int RemoveEmpty(SqliteConnection connection, long cutoffTicks)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM receipt_spans WHERE min_received < $cut
            AND NOT EXISTS (SELECT 1 FROM events WHERE seq BETWEEN receipt_spans.first_seq AND receipt_spans.last_seq)
            """;
        command.Parameters.AddWithValue("$cut", cutoffTicks);
        return command.ExecuteNonQuery();
    }

    /// <summary>
    /// On the writer, once it has stopped: the open span written, so that the next start reads no rows to find it. Not
    /// written (the file busy or full), it is rebuilt at the next start.
    /// </summary>
    public void Close()
    {
        ReceiptSpan open;
        lock (_lock)
        {
            (open, _open) = (_open, ReceiptSpan.Empty);
        }

        if (!open.IsEmpty)
        {
            try
            {
                Write(open);
            }
            catch (SqliteException)
            {
                // Rebuilt from the rows after the last written span when the log opens again.
            }
        }
    }

    private void Write(ReceiptSpan span) =>
        _insert.Bind(1, span.First).Bind(2, span.Last).Bind(3, span.MinReceived).Bind(4, span.MaxReceived).Execute();

    public void Dispose() => _insert.Dispose();
}
