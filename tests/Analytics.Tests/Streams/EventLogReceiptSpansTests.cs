using Analytics.GrainInterfaces.Events;
using Analytics.Sqlite.EventLog;
using Analytics.Sqlite.Storage;
using Analytics.Testing;
using Microsoft.Extensions.Options;

namespace Analytics.Tests.Streams;

/// <summary>
/// The log finds rows by receipt time through its receipt spans, not an index: an export and the retention purge give
/// exactly the rows a scan of the whole log would, with backdated rows, spans written and open, after a reopen, and in
/// a file written before spans existed.
/// </summary>
public sealed class EventLogReceiptSpansTests : IAsyncLifetime
{
    private static readonly DateTime Noon = TestEvents.Noon;
    private readonly string _directory = Directory.CreateTempSubdirectory("analytics-spans-").FullName;
    private readonly List<SqliteEventLog> _logs = [];

    // Every row appended, in log order: what an exact read by receipt time is checked against.
    private readonly List<(string Site, string Path, DateTime ReceivedAt)> _appended = [];

    private string DatabasePath => Path.Combine(_directory, "events.db");

    private SqliteEventLog Open(int spanRows = 65_536)
    {
        var log = new SqliteEventLog(
            Options.Create(new SqliteStorageOptions { DataDirectory = _directory }),
            Options.Create(new EventLogOptions { Lanes = 2, ReceiptSpanRows = spanRows }));
        _logs.Add(log);
        return log;
    }

    private async Task CloseAsync(SqliteEventLog log)
    {
        _logs.Remove(log);
        await log.DisposeAsync();
    }

    /// <summary>
    /// One at a time, so that log order is append order, each its own commit; a site's rows alternate with another's
    /// unless a visitor (of a.test) is given.
    /// </summary>
    private async Task AppendAsync(SqliteEventLog log, DateTime receivedAt, int count, TimeSpan step, string? visitor = null)
    {
        for (var i = 0; i < count; i++)
        {
            var at = receivedAt + step * i;
            var site = visitor is not null || _appended.Count % 2 == 0 ? "a.test" : "b.test";
            var path = $"/{_appended.Count}";
            await log.AppendAsync(EventEnvelope.For(TestEvents.Pageview(visitor ?? $"V{i % 5}", at, path, site), at), CancellationToken.None);
            _appended.Add((site, path, at));
        }
    }

    private static async Task<List<string>> ExportAsync(SqliteEventLog log, string site, DateTime from, DateTime to)
    {
        var paths = new List<string>();
        await foreach (var e in log.ReadSiteAsync(site, from, to, CancellationToken.None))
        {
            paths.Add(e.Pathname);
        }

        return paths;
    }

    private List<string> Expected(string site, DateTime from, DateTime to) =>
        [.. _appended.Where(r => r.Site == site && r.ReceivedAt >= from && r.ReceivedAt < to).Select(r => r.Path)];

    /// <summary>Every export window of the test against the rows appended, for both sites.</summary>
    private async Task AssertExportsExactAsync(SqliteEventLog log)
    {
        var windows = new (DateTime From, DateTime To)[]
        {
            (Noon.AddDays(-4), Noon.AddDays(-2)),
            (Noon.AddMinutes(3), Noon.AddMinutes(9)),
            (Noon.AddMinutes(-1), Noon.AddHours(2)),
            (Noon.AddMinutes(25), Noon.AddMinutes(61)),
            (DateTime.MinValue, DateTime.MaxValue),
            (Noon.AddDays(1), Noon.AddDays(2)),
        };
        foreach (var (from, to) in windows)
        {
            foreach (var site in new[] { "a.test", "b.test" })
            {
                Assert.Equal(Expected(site, from, to), await ExportAsync(log, site, from, to));
            }
        }
    }

    private long Scalar(string sql)
    {
        using var connection = SqliteDatabase.Open(DatabasePath);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task Exports_read_exactly_their_receipt_range_from_open_and_written_spans_backdated_rows_included_and_after_a_reopen()
    {
        // Spans of three sequence numbers: most rows lie in written spans, the last ones in the open one.
        var log = Open(spanRows: 3);
        await AppendAsync(log, Noon, 20, TimeSpan.FromMinutes(1));
        await AppendAsync(log, Noon.AddDays(-3), 2, TimeSpan.FromMinutes(1));
        await AppendAsync(log, Noon.AddMinutes(30), 10, TimeSpan.FromMinutes(3));
        Assert.True(Scalar("SELECT COUNT(*) FROM receipt_spans") >= 9, "the writer wrote a span per three rows");
        await AssertExportsExactAsync(log);

        // Closed: the open span is written, up to the last row.
        await CloseAsync(log);
        Assert.Equal(Scalar("SELECT MAX(seq) FROM events"), Scalar("SELECT MAX(last_seq) FROM receipt_spans"));
        log = Open();
        await AssertExportsExactAsync(log);

        // After a crash, the open span's rows, never written as one, are found again from the file.
        await AppendAsync(log, Noon.AddMinutes(59), 4, TimeSpan.FromSeconds(1));
        await CloseAsync(log);
        using (var connection = SqliteDatabase.Open(DatabasePath))
        {
            SqliteDatabase.Execute(connection, "DELETE FROM receipt_spans WHERE last_seq = (SELECT MAX(last_seq) FROM receipt_spans)");
        }

        log = Open();
        await AssertExportsExactAsync(log);
        await AppendAsync(log, Noon.AddMinutes(70), 3, TimeSpan.FromSeconds(1));
        await AssertExportsExactAsync(log);
    }

    [Fact]
    public async Task A_log_written_with_a_time_index_and_no_spans_gets_them_at_open_and_loses_the_index()
    {
        var log = Open();
        await AppendAsync(log, Noon, 12, TimeSpan.FromMinutes(2));
        await AppendAsync(log, Noon.AddDays(-3), 3, TimeSpan.FromHours(1));
        await CloseAsync(log);
        using (var connection = SqliteDatabase.Open(DatabasePath))
        {
            SqliteDatabase.Execute(connection, "DROP TABLE receipt_spans; CREATE INDEX events_by_time ON events (received_at);");
        }

        log = Open();

        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL"));
        // Grouped by receipt time, as narrow as the writer's: one per row here, the rows being minutes apart.
        Assert.Equal(15, Scalar("SELECT COUNT(*) FROM receipt_spans"));
        await AssertExportsExactAsync(log);
    }

    [Fact]
    public async Task The_purge_deletes_exactly_the_delivered_rows_received_before_the_cutoff_and_forgets_emptied_spans()
    {
        var log = Open(spanRows: 4);
        // First eight rows of one visitor of lane 0: two written spans of delivered rows alone, which the purge empties.
        var lane0Visitor = Enumerable.Range(0, 100).Select(i => $"W{i}").First(v => log.LaneOf(VisitorKeys.Create("a.test", v)) == 0);
        await AppendAsync(log, Noon.AddMinutes(-20), 8, TimeSpan.FromMinutes(1), lane0Visitor);
        var emptied = Scalar("SELECT MAX(seq) FROM events");
        Assert.Equal(2, Scalar($"SELECT COUNT(*) FROM receipt_spans WHERE first_seq <= {emptied}"));
        await AppendAsync(log, Noon, 20, TimeSpan.FromMinutes(1));
        await AppendAsync(log, Noon.AddDays(-3), 3, TimeSpan.FromMinutes(1));
        await AppendAsync(log, Noon.AddMinutes(30), 6, TimeSpan.FromMinutes(1));
        // Lane 0 delivered to its end, lane 1 not at all.
        var lane0 = await log.ReadAsync(0, 0, 1_000, CancellationToken.None);
        var lane1 = await log.ReadAsync(1, 0, 1_000, CancellationToken.None);
        await log.WriteCheckpointAsync(0, lane0[^1].Seq, CancellationToken.None);
        var cutoff = Noon.AddMinutes(10);
        var expected = lane0.Where(r => EventEnvelope.FromBytes(r.Envelope).ReceivedAt >= cutoff).Select(r => r.Seq).ToList();
        Assert.NotEqual(lane0.Count, expected.Count);

        var purged = 0;
        int batch;
        do
        {
            batch = await log.PurgeDeliveredAsync(cutoff, 2, CancellationToken.None);
            purged += batch;
        }
        while (batch == 2);

        Assert.Equal(lane0.Count - expected.Count, purged);
        Assert.Equal(expected, (await log.ReadAsync(0, 0, 1_000, CancellationToken.None)).Select(r => r.Seq));
        Assert.Equal(lane1.Select(r => r.Seq), (await log.ReadAsync(1, 0, 1_000, CancellationToken.None)).Select(r => r.Seq));
        // The emptied spans are forgotten, and every span left has a row.
        Assert.Equal(0, Scalar($"SELECT COUNT(*) FROM receipt_spans WHERE first_seq <= {emptied}"));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM receipt_spans s WHERE NOT EXISTS (SELECT 1 FROM events WHERE seq BETWEEN s.first_seq AND s.last_seq)"));
        Assert.True(Scalar("SELECT COUNT(*) FROM receipt_spans") > 0);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var log in _logs)
        {
            await log.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
