using System.Diagnostics;
using System.Text;
using Analytics.Abstractions.Lanes;
using Analytics.Sqlite.Lanes;
using Analytics.Testing;
using Analytics.Tests.Privacy;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Analytics.Tests.Lanes;

/// <summary>The lane store contract on a real lanes.db in a folder of its own, plus what is SQLite's own: the file.</summary>
public sealed class SqliteLaneStateStoreTests(ITestOutputHelper output) : LaneStateStoreContract
{
    private readonly string _directory = Directory.CreateTempSubdirectory("analytics-lanes-").FullName;
    private SqliteLaneStateStore? _store;

    private string Path => System.IO.Path.Combine(_directory, "lanes.db");

    protected override Task<ILaneStateStore> OpenStoreAsync()
    {
        _store = new SqliteLaneStateStore(Path, new SqliteLaneStateStoreOptions());
        return Task.FromResult<ILaneStateStore>(_store);
    }

    protected override async Task CloseStoreAsync()
    {
        await _store!.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_checkpoint_survives_closing_and_reopening_the_file()
    {
        var lane = NewLane("reopen");
        var sessions = new[] { Session(7, NewSite("reopen"), T0), Session(8, NewSite("reopen"), T0.AddMinutes(1)) };
        await Store.WriteAsync(lane, Write(77, T0.AddMinutes(1), sessions), CancellationToken.None);
        await _store!.DisposeAsync();

        await using var reopened = new SqliteLaneStateStore(Path, new SqliteLaneStateStoreOptions());
        var stored = await reopened.ReadAsync(lane, CancellationToken.None);

        Assert.Equal(77, stored.Offset);
        Assert.Equal(T0.AddMinutes(1), stored.Watermark);
        AssertSessions(sessions, stored);
        _store = new SqliteLaneStateStore(Path, new SqliteLaneStateStoreOptions());
    }

    /// <summary>
    /// A real failure midway through a checkpoint: a trigger (added to the file from another connection) aborts the update
    /// of the lane's row, the last step, after the checkpoint appended its sessions and compacted the lane (deleting its
    /// earlier parts). The lane must read its previous checkpoint whole, and a checkpoint of another lane committing in
    /// the same transaction must not be lost with it.
    /// </summary>
    [Fact]
    public async Task A_checkpoint_that_fails_midway_leaves_the_previous_one_whole_and_fails_alone()
    {
        var lane = NewLane("atomic");
        var other = NewLane("atomic-other");
        var site = NewSite("atomic");
        var before = Enumerable.Range(0, 300).Select(v => Session((ulong)v, site, T0)).ToArray();
        await Store.WriteAsync(lane, Write(10, T0, before), CancellationToken.None);

        await using (var connection = new SqliteConnection($"Data Source={Path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TRIGGER fail_offset_20 BEFORE UPDATE ON lane_checkpoints WHEN NEW.last_offset = 20 BEGIN SELECT RAISE(ABORT, 'injected failure'); END";
            await command.ExecuteNonQueryAsync();
        }

        // Over a megabyte of sessions: enough to compact the lane before the failing step.
        var failing = Enumerable.Range(0, 10_000).Select(v => Session((ulong)v, site, T0.AddMinutes(1), version: 2)).ToArray();
        var failed = Store.WriteAsync(lane, Write(20, T0.AddMinutes(1), failing, expireBefore: T0.AddHours(1)), CancellationToken.None);
        var sideBySide = Store.WriteAsync(other, Write(5, T0, [Session(1, site, T0)]), CancellationToken.None);

        var error = await Assert.ThrowsAsync<SqliteException>(() => failed);
        Assert.Contains("injected failure", error.Message);
        await sideBySide;

        var stored = await Store.ReadAsync(lane, CancellationToken.None);
        Assert.Equal(10, stored.Offset);
        Assert.Equal(T0, stored.Watermark);
        AssertSessions(before, stored);
        Assert.Equal(5, (await Store.ReadAsync(other, CancellationToken.None)).Offset);
    }

    /// <summary>The lane's rows in lane_parts (the file holds one lane per test).</summary>
    protected override async Task<long> StoredPartsAsync(string lane)
    {
        await using var connection = new SqliteConnection($"Data Source={Path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM lane_parts WHERE lane = $lane";
        command.Parameters.AddWithValue("$lane", lane);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task After_a_site_is_deleted_no_file_of_the_folder_holds_its_name_or_its_state()
    {
        var site = NewSite("erase-bytes");
        var state = Encoding.UTF8.GetBytes($"state of a visitor of {site}");
        await Store.WriteAsync(NewLane("erase-bytes"), Write(1, T0, [new StoredLaneSession(9, site, T0, state)]), CancellationToken.None);
        Assert.Contains(DataFiles.Read(_directory), f => DataFiles.Contains(f.Value, Encoding.UTF8.GetBytes(site)));

        await Store.DeleteSiteAsync(site, CancellationToken.None);

        Assert.DoesNotContain(DataFiles.Read(_directory), f => DataFiles.Contains(f.Value, Encoding.UTF8.GetBytes(site)));
        Assert.DoesNotContain(DataFiles.Read(_directory), f => DataFiles.Contains(f.Value, state));
    }

    [Fact]
    public void Options_that_would_leave_the_data_directory_or_take_another_stores_file_are_refused()
    {
        var validator = new SqliteLaneStateStoreOptionsValidator();

        Assert.True(validator.Validate(null, new SqliteLaneStateStoreOptions()).Succeeded);
        Assert.Contains("plain file name", validator.Validate(null, new SqliteLaneStateStoreOptions { FileName = "../lanes.db" }).FailureMessage);
        Assert.Contains("another store", validator.Validate(null, new SqliteLaneStateStoreOptions { FileName = "segments.db" }).FailureMessage);
        Assert.Contains("MaxWriteBatch", validator.Validate(null, new SqliteLaneStateStoreOptions { MaxWriteBatch = 0 }).FailureMessage);
    }

    /// <summary>
    /// The rate the lanes need (~50–100 checkpoints/s of ~500 sessions each): 8 lanes checkpoint side by side, each
    /// touching 500 of its 20,000 visitors per write, with expiry on. Reports the figure; asserts only that all landed.
    /// </summary>
    [Fact]
    public async Task Checkpoint_throughput_of_eight_lanes_writing_five_hundred_sessions_each()
    {
        const int Lanes = 8;
        const int WritesPerLane = 60;
        const int SessionsPerWrite = 500;
        const int VisitorsPerLane = 20_000;
        var site = NewSite("throughput");
        var lanes = Enumerable.Range(0, Lanes).Select(i => NewLane($"throughput{i}")).ToArray();
        var state = new byte[160];
        Random.Shared.NextBytes(state);

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(lanes.Select(async (lane, l) =>
        {
            var random = new Random(l);
            for (var w = 1; w <= WritesPerLane; w++)
            {
                var now = T0.AddSeconds(w * 10);
                var sessions = Enumerable.Range(0, SessionsPerWrite)
                    .Select(_ => new StoredLaneSession((ulong)random.Next(VisitorsPerLane), site, now, state))
                    .DistinctBy(s => s.Visitor).ToArray();
                await Store.WriteAsync(lane, Write(w, now, sessions, expireBefore: now.AddMinutes(-5)), CancellationToken.None);
            }
        }));
        clock.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;

        var writes = Lanes * WritesPerLane;
        output.WriteLine($"{writes} checkpoints of {SessionsPerWrite} sessions in {clock.Elapsed.TotalSeconds:F2} s: "
            + $"{writes / clock.Elapsed.TotalSeconds:F0} checkpoints/s, {writes * SessionsPerWrite / clock.Elapsed.TotalSeconds:F0} sessions/s; "
            + $"{cpu.TotalSeconds:F2} s of CPU ({writes / cpu.TotalSeconds:F0} checkpoints per CPU second); lanes.db {new FileInfo(Path).Length / 1024} KiB");
        foreach (var lane in lanes)
        {
            var stored = await Store.ReadAsync(lane, CancellationToken.None);
            Assert.Equal(WritesPerLane, stored.Offset);
            // Expiry kept only the last 30 writes' sessions (each write 10 s later, expiring what ended over 5 min before).
            Assert.All(stored.Sessions, s => Assert.True(s.End >= T0.AddSeconds(WritesPerLane * 10).AddMinutes(-5)));
        }
    }
}
