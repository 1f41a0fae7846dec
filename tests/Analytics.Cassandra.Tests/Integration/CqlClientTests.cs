using System.Diagnostics;
using Analytics.Cassandra.Tests.Support;
using Analytics.Cql;
using Analytics.Cql.Errors;
using Xunit.Abstractions;

namespace Analytics.Cassandra.Tests.Integration;

[Collection(CassandraCollection.Name)]
public sealed class CqlClientTests(CassandraFixture fixture, ITestOutputHelper output)
{
    private static readonly Guid TimeUuid = Guid.Parse("e7bd2e10-b9a4-11ee-8c90-0242ac120002");
    private static readonly Guid Uuid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    private ICqlSession Session => fixture.Session;

    private string Table(string name) => $"{fixture.Keyspace}.{name}";

    [Fact]
    public async Task Every_type_round_trips_through_a_real_table()
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }
        await Session.ExecuteAsync(new CqlStatement($"""
            CREATE TABLE {Table("types")} (k int PRIMARY KEY, t text, vc varchar, a ascii, b blob, bi bigint, i int,
                ts timestamp, u uuid, tu timeuuid, bo boolean, d double, m map<text, int>, l list<bigint>, s set<uuid>)
            """));
        var values = new object?[]
        {
            "tëxt ✓", "varchar", "ascii", new byte[] { 0, 1, 2, 255 }, long.MaxValue, int.MinValue,
            DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), Uuid, TimeUuid, true, -0.25,
            new Dictionary<string, int> { ["one"] = 1, ["two"] = 2 }, new List<long> { 3, 1, 3 }, new HashSet<Guid> { Guid.Empty, TimeUuid },
        };
        const string columns = "t, vc, a, b, bi, i, ts, u, tu, bo, d, m, l, s";
        var insert = $"INSERT INTO {Table("types")} (k, {columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

        // Once through a prepared statement (server-typed values), once through a plain query (inferred types).
        await Session.ExecuteAsync(new CqlStatement(insert, [1, .. values]) { Prepare = true });
        await Session.ExecuteAsync(new CqlStatement(insert, [2, .. values]));
        await Session.ExecuteAsync(new CqlStatement($"INSERT INTO {Table("types")} (k) VALUES (3)"));
        // The server parses these literals itself, so decoding them checks our byte layouts independently
        // of our encoder (a symmetric mistake, e.g. UUID byte order, would otherwise round-trip unnoticed).
        await Session.ExecuteAsync(new CqlStatement($$"""
            INSERT INTO {{Table("types")}} (k, {{columns}}) VALUES (4, 'tëxt ✓', 'varchar', 'ascii', 0x000102ff,
                9223372036854775807, -2147483648, '2023-11-14 22:13:20.123+0000', {{Uuid}}, {{TimeUuid}}, true, -0.25,
                {'one': 1, 'two': 2}, [3, 1, 3], {00000000-0000-0000-0000-000000000000, {{TimeUuid}}})
            """));

        foreach (var k in new[] { 1, 2, 4 })
        {
            var row = (await Session.ExecuteAsync(new CqlStatement($"SELECT {columns} FROM {Table("types")} WHERE k = ?", k) { Prepare = true })).Rows.Single();
            Assert.Equal("tëxt ✓", row.GetString("t"));
            Assert.Equal("varchar", row.GetString("vc"));
            Assert.Equal("ascii", row.GetString("a"));
            Assert.Equal(new byte[] { 0, 1, 2, 255 }, row.GetBytes("b"));
            Assert.Equal(long.MaxValue, row.GetInt64("bi"));
            Assert.Equal(int.MinValue, row.GetInt32("i"));
            Assert.Equal(values[6], row.GetTimestamp("ts"));
            Assert.Equal(Uuid, row.GetGuid("u"));
            Assert.Equal(TimeUuid, row.GetGuid("tu"));
            Assert.True(row.GetBoolean("bo"));
            Assert.Equal(-0.25, row.GetDouble("d"));
            Assert.Equal(values[11], row.GetMap<string, int>("m"));
            Assert.Equal(new List<long> { 3, 1, 3 }, row.GetList<long>("l"));
            Assert.Equal(new HashSet<Guid> { Guid.Empty, TimeUuid }, row.GetSet<Guid>("s"));
        }
        var empty = (await Session.ExecuteAsync(new CqlStatement($"SELECT {columns} FROM {Table("types")} WHERE k = 3"))).Rows.Single();
        Assert.True(empty.IsNull("t"));
        Assert.True(empty.IsNull("bi"));
        Assert.Empty(empty.GetList<long>("l"));
    }

    [Fact]
    public async Task Paging_over_ten_thousand_rows_returns_each_exactly_once()
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }
        await Session.ExecuteAsync(new CqlStatement($"CREATE TABLE {Table("paged")} (k int PRIMARY KEY, v text)"));
        const int count = 10_000;
        var insert = new CqlStatement($"INSERT INTO {Table("paged")} (k, v) VALUES (?, ?)") { Prepare = true, IsIdempotent = true };
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (k, ct) => await Session.ExecuteAsync(insert with { Values = [k, $"v{k}"] }, ct));
        output.WriteLine($"{count} prepared inserts in {clock.ElapsedMilliseconds} ms: {count / clock.Elapsed.TotalSeconds:F0} writes/s");

        var firstPage = await Session.ExecuteAsync(new CqlStatement($"SELECT k, v FROM {Table("paged")}") { PageSize = 1000 });
        Assert.Equal(1000, firstPage.Rows.Count);
        Assert.True(firstPage.HasMorePages);

        clock.Restart();
        var seen = new HashSet<int>();
        await foreach (var row in Session.QueryAllAsync(new CqlStatement($"SELECT k, v FROM {Table("paged")}") { PageSize = 777, IsIdempotent = true }))
        {
            var k = row.GetInt32("k");
            Assert.True(seen.Add(k), $"row {k} returned twice");
            Assert.Equal($"v{k}", row.GetString("v"));
        }
        output.WriteLine($"read {seen.Count} rows in pages of 777 in {clock.ElapsedMilliseconds} ms");
        Assert.Equal(count, seen.Count);
    }

    [Fact]
    public async Task Lightweight_transactions_report_applied_and_not_applied()
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }
        await Session.ExecuteAsync(new CqlStatement($"CREATE TABLE {Table("lwt")} (k text PRIMARY KEY, v int)"));
        var insert = new CqlStatement($"INSERT INTO {Table("lwt")} (k, v) VALUES (?, ?) IF NOT EXISTS", "a", 1)
        {
            Prepare = true,
            SerialConsistency = CqlConsistency.Serial,
        };

        Assert.True((await Session.ExecuteAsync(insert)).WasApplied);
        var again = await Session.ExecuteAsync(insert with { Values = ["a", 2] });
        Assert.False(again.WasApplied);
        Assert.Equal(1, again.Rows[0].GetInt32("v"));

        var update = $"UPDATE {Table("lwt")} SET v = ? WHERE k = ? IF v = ?";
        Assert.False((await Session.ExecuteAsync(new CqlStatement(update, 5, "a", 99) { Prepare = true, SerialConsistency = CqlConsistency.LocalSerial })).WasApplied);
        Assert.True((await Session.ExecuteAsync(new CqlStatement(update, 5, "a", 1) { Prepare = true })).WasApplied);
        var read = await Session.ExecuteAsync(new CqlStatement($"SELECT v FROM {Table("lwt")} WHERE k = 'a'") { Consistency = CqlConsistency.Serial });
        Assert.Equal(5, read.Rows.Single().GetInt32("v"));
    }

    [Fact]
    public async Task A_batch_of_prepared_and_text_statements_applies_all_of_them_or_none()
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }
        await Session.ExecuteAsync(new CqlStatement($"CREATE TABLE {Table("batched")} (k text, c int, v blob, PRIMARY KEY (k, c))"));
        var insert = $"INSERT INTO {Table("batched")} (k, c, v) VALUES (?, ?, ?)";
        var statements = Enumerable.Range(0, 300).Select(c => new CqlStatement(insert, "one", c, new byte[] { (byte)c }) { Prepare = true }).ToList();
        statements.Add(new CqlStatement($"UPDATE {Table("batched")} SET v = ? WHERE k = ? AND c = ?", new byte[] { 9, 9 }, "one", 7));
        await Session.ExecuteBatchAsync(new CqlBatch(statements) { Type = CqlBatchType.Unlogged });
        // Logged, across partitions.
        await Session.ExecuteBatchAsync(new CqlBatch([new CqlStatement(insert, "two", 1, new byte[] { 2 }) { Prepare = true }, new CqlStatement(insert, "three", 1, null)]));

        var rows = new List<CqlRow>();
        await foreach (var row in Session.QueryAllAsync(new CqlStatement($"SELECT c, v FROM {Table("batched")} WHERE k = 'one'")))
        {
            rows.Add(row);
        }
        Assert.Equal(Enumerable.Range(0, 300), rows.Select(r => r.GetInt32("c")));
        Assert.Equal([9, 9], rows[7].GetBytes("v"));
        Assert.Equal([200], rows[200].GetBytes("v"));
        Assert.Single((await Session.ExecuteAsync(new CqlStatement($"SELECT c FROM {Table("batched")} WHERE k = 'two'"))).Rows);
        Assert.Single((await Session.ExecuteAsync(new CqlStatement($"SELECT c FROM {Table("batched")} WHERE k = 'three'"))).Rows);

        // One bad statement: the server refuses the whole batch, typed, and nothing of it is applied.
        var refused = new CqlBatch([new CqlStatement(insert, "four", 1, null) { Prepare = true }, new CqlStatement($"INSERT INTO {Table("batched")} (k, c, nope) VALUES ('four', 2, 1)")]);
        await Assert.ThrowsAsync<CqlInvalidException>(() => Session.ExecuteBatchAsync(refused));
        Assert.Empty((await Session.ExecuteAsync(new CqlStatement($"SELECT c FROM {Table("batched")} WHERE k = 'four'"))).Rows);
    }

    [Fact]
    public async Task Of_two_writes_in_the_same_millisecond_the_later_one_wins()
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }
        await Session.ExecuteAsync(new CqlStatement($"CREATE TABLE {Table("overwrites")} (k int PRIMARY KEY, v blob)"));
        var write = $"UPDATE {Table("overwrites")} SET v = ? WHERE k = ?";
        // The later value is the smaller one: writes that tie on their timestamp keep the larger value, so a tie reads back
        // wrong. Keys written side by side spread the requests over streams, as the lanes' checkpoints do, and Cassandra 2.1
        // orders the writes it timestamps only within one stream.
        var wrong = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async key =>
        {
            var read = new CqlStatement($"SELECT v FROM {Table("overwrites")} WHERE k = ?", key) { Prepare = true };
            for (var round = 0; round < 200; round++)
            {
                await Session.ExecuteAsync(new CqlStatement(write, new byte[] { 0xFF }, key) { Prepare = true });
                await Session.ExecuteBatchAsync(new CqlBatch([new CqlStatement(write, new byte[] { 0x01 }, key) { Prepare = true }]) { Type = CqlBatchType.Unlogged });
                await Session.ExecuteAsync(new CqlStatement(write, new byte[] { 0x00 }, key) { Prepare = true });
                if ((await Session.ExecuteAsync(read)).Rows.Single().GetBytes("v")![0] != 0)
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        }));
        Assert.Equal(0, wrong);
    }

    [Fact]
    public async Task Server_errors_come_back_typed_with_the_server_message()
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }
        var syntax = await Assert.ThrowsAsync<CqlSyntaxException>(() => Session.ExecuteAsync(new CqlStatement("SELEC * FROM nowhere")));
        Assert.Equal(CqlErrorCode.SyntaxError, syntax.ErrorCode);
        Assert.Contains("SELEC", syntax.Message, StringComparison.Ordinal);

        var invalid = await Assert.ThrowsAsync<CqlInvalidException>(() => Session.ExecuteAsync(new CqlStatement($"SELECT * FROM {Table("missing")}")));
        Assert.Contains("missing", invalid.Message, StringComparison.Ordinal);

        await Session.ExecuteAsync(new CqlStatement($"CREATE TABLE {Table("dup")} (k int PRIMARY KEY)"));
        var exists = await Assert.ThrowsAsync<CqlAlreadyExistsException>(() => Session.ExecuteAsync(new CqlStatement($"CREATE TABLE {Table("dup")} (k int PRIMARY KEY)")));
        Assert.Equal((fixture.Keyspace, "dup"), (exists.Keyspace, exists.Table));
        output.WriteLine($"syntax: {syntax.Message}\ninvalid: {invalid.Message}\nexists: {exists.Message}");
    }

    [Fact]
    public async Task A_killed_connection_is_replaced_by_the_pool()
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }
        await using var session = new CqlSession(fixture.ClientOptions(poolSize: 1));
        var query = new CqlStatement("SELECT release_version FROM system.local") { IsIdempotent = true };
        await session.ExecuteAsync(query);
        var first = session.Pool.Connections[0]!;

        first.Abort();

        Assert.False(first.IsOpen);
        Assert.StartsWith("2.1", (await session.ExecuteAsync(query)).Rows.Single().GetString("release_version"), StringComparison.Ordinal);
        Assert.NotSame(first, session.Pool.Connections[0]);
        // A write that is not idempotent also goes through: the dead connection is detected before sending.
        session.Pool.Connections[0]!.Abort();
        await session.ExecuteAsync(new CqlStatement($"CREATE TABLE IF NOT EXISTS {Table("after_kill")} (k int PRIMARY KEY)"));
    }

    [Fact]
    public async Task Many_concurrent_requests_share_one_connection()
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }
        await using var session = new CqlSession(fixture.ClientOptions(poolSize: 1));
        var statement = new CqlStatement("SELECT key FROM system.local WHERE key = ?", "local") { Prepare = true };
        var clock = Stopwatch.StartNew();
        await session.ExecuteAsync(statement);
        output.WriteLine($"connect + prepare + first execute: {clock.ElapsedMilliseconds} ms");
        clock.Restart();
        var results = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => session.ExecuteAsync(statement)));
        output.WriteLine($"500 concurrent executes on one connection: {clock.ElapsedMilliseconds} ms");
        Assert.All(results, r => Assert.Equal("local", r.Rows.Single().GetString("key")));
    }
}
