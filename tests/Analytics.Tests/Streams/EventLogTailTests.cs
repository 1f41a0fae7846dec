using System.Text;
using Analytics.Abstractions.Ingestion;
using Analytics.GrainInterfaces.Events;
using Analytics.Sqlite.EventLog;
using Analytics.Sqlite.Storage;
using Analytics.Testing;
using Microsoft.Extensions.Options;

namespace Analytics.Tests.Streams;

/// <summary>
/// A lane reader that keeps up takes the log's new rows from memory (<see cref="SqliteEventLog.ReadLaneAsync"/>): the
/// same events, in the same order, with no row missed or read twice, as reading the file; and an erased site's rows
/// leave memory with the file.
/// </summary>
public sealed class EventLogTailTests : IAsyncLifetime
{
    private static readonly DateTime Noon = TestEvents.Noon;
    private readonly string _directory = Directory.CreateTempSubdirectory("analytics-tail-").FullName;
    private readonly List<SqliteEventLog> _logs = [];

    private SqliteEventLog Open(int lanes, int tailRows = 4_096, int backlogRows = 4_096)
    {
        var log = new SqliteEventLog(
            Options.Create(new SqliteStorageOptions { DataDirectory = _directory }),
            Options.Create(new EventLogOptions { Lanes = lanes, TailRows = tailRows, BacklogRows = backlogRows }));
        _logs.Add(log);
        return log;
    }

    private static async Task AppendAsync(SqliteEventLog log, IEnumerable<TrackedEvent> events) =>
        await Task.WhenAll(events.Select(e => log.AppendAsync(EventEnvelope.For(e, Noon), CancellationToken.None).AsTask()));

    private static IEnumerable<TrackedEvent> Visits(int count, string site = "tail.test", int from = 0) =>
        Enumerable.Range(from, count).Select(i => i % 3 == 0
            ? TestEvents.Custom($"V{i % 7}", Noon.AddSeconds(i), "Signup", $"/p{i}", site, props: new Dictionary<string, string> { ["plan"] = $"p{i % 2}" }) with { RevenueAmount = 12.5m + i, RevenueCurrency = "EUR" }
            : TestEvents.Pageview($"V{i % 7}", Noon.AddSeconds(i), $"/p{i}", site));

    /// <summary>Reads the lane from <paramref name="after"/> until a read returns nothing new.</summary>
    private static async Task<(List<LogRow> Rows, long ReadUpTo, List<bool> Sources)> DrainAsync(SqliteEventLog log, int lane, long after, int max = 2_000)
    {
        var rows = new List<LogRow>();
        var sources = new List<bool>();
        while (true)
        {
            var read = await log.ReadLaneAsync(lane, after, max, CancellationToken.None);
            Assert.True(read.ReadUpTo >= after, "a read never moves back");
            after = read.ReadUpTo;
            if (read.Rows.Count == 0)
            {
                return (rows, after, sources);
            }

            rows.AddRange(read.Rows);
            sources.Add(read.Source == LaneReadSource.Tail);
        }
    }

    /// <summary>The lane as the file has it, decoded.</summary>
    private static async Task<List<(long Seq, string Json)>> FileAsync(SqliteEventLog log, int lane) =>
        [.. (await log.ReadAsync(lane, 0, 100_000, CancellationToken.None)).Select(r => (r.Seq, Json(EventEnvelope.FromBytes(r.Envelope).Event)))];

    private static string Json(TrackedEvent? tracked) => Encoding.UTF8.GetString(EventEnvelope.For(tracked!, Noon).ToUtf8Bytes());

    [Fact]
    public async Task A_caught_up_reader_takes_new_commits_from_memory_exactly_as_the_file_has_them()
    {
        var log = Open(lanes: 3);
        await AppendAsync(log, Visits(40));
        var positions = new long[3];
        for (var lane = 0; lane < 3; lane++)
        {
            var (rows, readUpTo, sources) = await DrainAsync(log, lane, 0);
            Assert.Equal([false], sources); // written before this log's reader caught up: from the file
            positions[lane] = readUpTo;
        }

        await AppendAsync(log, Visits(60, from: 40));
        await AppendAsync(log, Visits(25, from: 100));

        for (var lane = 0; lane < 3; lane++)
        {
            var (rows, _, sources) = await DrainAsync(log, lane, positions[lane]);
            Assert.NotEmpty(sources);
            Assert.All(sources, Assert.True);
            var file = (await FileAsync(log, lane)).Where(r => r.Seq > positions[lane]).ToList();
            Assert.NotEmpty(file);
            Assert.Equal(file, rows.Select(r => (r.Seq, Json(r.Event))));
        }
    }

    [Fact]
    public async Task A_reader_further_behind_than_memory_holds_reads_the_file_then_memory_without_gaps_or_repeats()
    {
        var log = Open(lanes: 1, tailRows: 5);
        var (_, position, _) = await DrainAsync(log, 0, 0);
        await AppendAsync(log, Visits(23));

        var (rows, readUpTo, sources) = await DrainAsync(log, 0, position, max: 4);
        Assert.False(sources[0], "23 rows overflowed the 5 kept: the first read is the file's");
        Assert.Equal((await FileAsync(log, 0)).Select(r => r.Seq), rows.Select(r => r.Seq));

        await AppendAsync(log, Visits(3, from: 23));
        var (more, _, moreSources) = await DrainAsync(log, 0, readUpTo, max: 4);
        Assert.Equal([true], moreSources);
        Assert.Equal((await FileAsync(log, 0)).Select(r => r.Seq).Skip(23), more.Select(r => r.Seq));
    }

    [Fact]
    public async Task Without_memory_every_read_is_the_files_and_a_reopened_log_reads_the_file_until_caught_up()
    {
        var log = Open(lanes: 2, tailRows: 0);
        await AppendAsync(log, Visits(30));
        var position = (await DrainAsync(log, 1, 0)).ReadUpTo;
        await AppendAsync(log, Visits(10, from: 30));
        var (rows, _, sources) = await DrainAsync(log, 1, position);
        Assert.All(sources, Assert.False);
        Assert.Equal((await FileAsync(log, 1)).Where(r => r.Seq > position).Select(r => r.Json), rows.Select(r => Json(r.Event)));

        await log.DisposeAsync();
        _logs.Remove(log);
        var reopened = Open(lanes: 2);
        var (all, caughtUp, reopenedSources) = await DrainAsync(reopened, 1, 0);
        Assert.All(reopenedSources, Assert.False);
        Assert.Equal((await FileAsync(reopened, 1)).Select(r => r.Seq), all.Select(r => r.Seq));
        await AppendAsync(reopened, Visits(14, from: 40));
        var (next, _, nextSources) = await DrainAsync(reopened, 1, caughtUp);
        Assert.All(nextSources, Assert.True);
        Assert.Equal((await FileAsync(reopened, 1)).Where(r => r.Seq > caughtUp).Select(r => r.Seq), next.Select(r => r.Seq));
    }

    [Fact]
    public async Task Rows_an_earlier_build_wrote_as_JSON_are_read_beside_binary_ones_by_the_lanes_and_by_site()
    {
        var log = Open(lanes: 2, tailRows: 0);
        var appended = Visits(30).ToList();
        await AppendAsync(log, appended);
        await log.DisposeAsync();
        _logs.Remove(log);
        // Every other row as an earlier build wrote it: the same envelope in JSON.
        using (var file = SqliteDatabase.Open(Path.Combine(_directory, "events.db")))
        {
            var rows = new List<(long Seq, byte[] Envelope)>();
            using (var select = file.CreateCommand())
            {
                select.CommandText = "SELECT seq, envelope FROM events WHERE seq % 2 = 0";
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    rows.Add((reader.GetInt64(0), (byte[])reader[1]));
                }
            }

            Assert.All(rows, r => Assert.True(BinaryEventEnvelope.IsBinary(r.Envelope)));
            foreach (var (seq, envelope) in rows)
            {
                using var update = file.CreateCommand();
                update.CommandText = "UPDATE events SET envelope = $e WHERE seq = $s";
                update.Parameters.AddWithValue("$e", EventEnvelope.FromBytes(envelope).ToUtf8Bytes());
                update.Parameters.AddWithValue("$s", seq);
                Assert.Equal(1, update.ExecuteNonQuery());
            }

            Assert.NotEmpty(rows);
        }

        var reopened = Open(lanes: 2, tailRows: 0);
        var lanes = new[] { await DrainAsync(reopened, 0, 0), await DrainAsync(reopened, 1, 0) };

        Assert.All(lanes.SelectMany(l => l.Rows), r => Assert.Null(r.Error));
        Assert.Equal(appended.Select(Json).Order(), lanes.SelectMany(l => l.Rows).Select(r => Json(r.Event)).Order());
        var bySite = new List<TrackedEvent>();
        await foreach (var e in reopened.ReadSiteAsync("tail.test", Noon.AddHours(-1), Noon.AddHours(1), CancellationToken.None))
        {
            bySite.Add(e);
        }

        Assert.Equal(appended.Select(Json), bySite.Select(Json));
    }

    [Fact]
    public async Task An_append_to_a_closed_log_is_refused_as_the_sink_being_unavailable()
    {
        var log = Open(lanes: 2);
        await AppendAsync(log, Visits(3));
        await log.DisposeAsync();
        _logs.Remove(log);
        await Assert.ThrowsAsync<EventSinkUnavailableException>(() => log.AppendAsync(EventEnvelope.For(Visits(1).Single(), Noon), CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task An_append_cancelled_before_it_is_taken_is_not_appended()
    {
        var log = Open(lanes: 1);
        await AppendAsync(log, Visits(2));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => log.AppendAsync(EventEnvelope.For(Visits(1, from: 9).Single(), Noon), new CancellationToken(canceled: true)).AsTask());
        await AppendAsync(log, Visits(1, from: 10));
        Assert.Equal(["/p0", "/p1", "/p10"], (await log.ReadAsync(0, 0, 100, CancellationToken.None)).Select(r => EventEnvelope.FromBytes(r.Envelope).Event.Pathname));
    }

    [Fact]
    public async Task Lanes_behind_their_tails_read_the_file_once_between_them_and_each_gets_its_rows_exactly()
    {
        var log = Open(lanes: 4, tailRows: 0);
        await AppendAsync(log, Visits(160));

        // Every reader at the start of the log: the first one's read of the file keeps every lane's rows for it.
        var first = await log.ReadLaneAsync(0, 0, 10, CancellationToken.None);
        Assert.Equal(LaneReadSource.File, first.Source);
        var withRows = 0;
        for (var lane = 1; lane < 4; lane++)
        {
            // Seven visitors over four lanes: a lane may have none (then nothing is kept for it, and it asks the file).
            if ((await FileAsync(log, lane)).Count > 0)
            {
                withRows++;
                Assert.Equal(LaneReadSource.Backlog, (await log.ReadLaneAsync(lane, 0, 10, CancellationToken.None)).Source);
            }
        }

        Assert.True(withRows >= 2, "most lanes have visitors");

        var sources = new List<LaneReadSource>();
        var rows = await DrainTogetherAsync(log, lanes: 4, new Random(7), sources);
        for (var lane = 0; lane < 4; lane++)
        {
            Assert.Equal((await FileAsync(log, lane)).Select(r => r.Seq), rows[lane]);
        }

        // About one read in four goes to the file (each gives the three other lanes their next rows).
        Assert.InRange(sources.Count(s => s == LaneReadSource.File), 1, sources.Count / 2);
    }

    [Fact]
    public async Task A_small_backlog_and_a_reader_starting_over_lose_and_repeat_no_row()
    {
        var log = Open(lanes: 3, tailRows: 0, backlogRows: 3);
        await AppendAsync(log, Visits(90));
        var random = new Random(11);
        var rows = await DrainTogetherAsync(log, lanes: 3, random, [], restartLane: 1);
        for (var lane = 0; lane < 3; lane++)
        {
            Assert.Equal((await FileAsync(log, lane)).Select(r => r.Seq), rows[lane]);
        }
    }

    /// <summary>
    /// Reads the lanes in a random order, a few rows at a time, until none has more; <paramref name="restartLane"/>, when
    /// given, starts over from the beginning half-way (a reader restarted from an old checkpoint).
    /// </summary>
    private static async Task<List<long>[]> DrainTogetherAsync(SqliteEventLog log, int lanes, Random random, List<LaneReadSource> sources, int restartLane = -1)
    {
        var positions = new long[lanes];
        var rows = Enumerable.Range(0, lanes).Select(_ => new List<long>()).ToArray();
        var file = new List<long>[lanes];
        for (var lane = 0; lane < lanes; lane++)
        {
            file[lane] = [.. (await FileAsync(log, lane)).Select(r => r.Seq)];
        }

        var done = new bool[lanes];
        for (var reads = 0; !done.All(d => d); reads++)
        {
            var lane = random.Next(lanes);
            if (lane == restartLane && reads == 20)
            {
                positions[lane] = 0;
                rows[lane].Clear();
                done[lane] = false;
            }

            // Bounded: a read that never returns is a failure, not a hung run.
            var max = 1 + random.Next(6);
            var read = await log.ReadLaneAsync(lane, positions[lane], max, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(read.ReadUpTo >= positions[lane], "a read never moves back");
            // Fewer rows than asked tells a reader it has caught up (it then waits for a commit): only when it has.
            Assert.True(read.Rows.Count == max || !file[lane].Any(seq => seq > read.ReadUpTo), "fewer rows than asked, more committed");
            Assert.All(read.Rows, r => Assert.True(r.Seq > positions[lane] && r.Seq <= read.ReadUpTo));
            positions[lane] = read.ReadUpTo;
            rows[lane].AddRange(read.Rows.Select(r => r.Seq));
            sources.Add(read.Source);
            done[lane] = read.Rows.Count == 0;
        }

        return rows;
    }

    [Fact]
    public async Task An_erased_sites_pending_rows_leave_memory_with_the_file()
    {
        var log = Open(lanes: 1);
        var position = (await DrainAsync(log, 0, 0)).ReadUpTo;
        await AppendAsync(log, Visits(6, "erased.test").Concat(Visits(5, "kept.test", from: 6)));

        Assert.Equal(6, await log.DeleteSiteAsync("erased.test", CancellationToken.None));

        var (rows, _, sources) = await DrainAsync(log, 0, position);
        Assert.Equal([true], sources);
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal("kept.test", r.Event!.Site));
        Assert.Equal((await FileAsync(log, 0)).Select(r => r.Seq), rows.Select(r => r.Seq));
    }

    [Fact]
    public async Task A_sites_export_reads_its_rows_by_receipt_time_without_an_index()
    {
        var log = Open(lanes: 2);
        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => log.AppendAsync(
            EventEnvelope.For(TestEvents.Pageview($"V{i}", Noon.AddMinutes(i), $"/{i}", i % 2 == 0 ? "even.test" : "odd.test"), Noon.AddMinutes(i)),
            CancellationToken.None).AsTask()));

        var exported = new List<TrackedEvent>();
        await foreach (var e in log.ReadSiteAsync("even.test", Noon.AddMinutes(3), Noon.AddMinutes(9), CancellationToken.None))
        {
            exported.Add(e);
        }

        Assert.Equal(["/4", "/6", "/8"], exported.Select(e => e.Pathname));
        using var connection = SqliteDatabase.Open(Path.Combine(_directory, "events.db"));
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL";
        // A lane reads the file in log order with the others' rows, an export through receipt spans: no index, by lane or time.
        Assert.Equal(0L, command.ExecuteScalar());
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
