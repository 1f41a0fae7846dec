using System.Diagnostics;
using Analytics.Cassandra.Tests.Support;
using Analytics.Cql;
using Analytics.Cql.Errors;
using Analytics.Cql.Protocol;
using Xunit.Abstractions;

namespace Analytics.Cassandra.Tests.Integration;

[Collection(CassandraCollection.Name)]
public sealed class PreparedStatementRestartTests(CassandraFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Prepared_statements_survive_a_server_restart()
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }
        var status = await CassandraService.RunAsync("status");
        if (!status.Output.Contains("running", StringComparison.Ordinal))
        {
            // The server at the contact point is not ours to restart.
            Assert.False(RequiresServices.Required, $"ANALYTICS_REQUIRE_SERVICES=1 but scripts/services.sh does not run Cassandra: {status.Output}");
            return;
        }
        var table = $"{fixture.Keyspace}.restart";
        await fixture.Session.ExecuteAsync(new CqlStatement($"CREATE TABLE {table} (k int PRIMARY KEY, v text)"));
        await using var session = new CqlSession(fixture.ClientOptions(poolSize: 1));
        await session.ExecuteAsync(new CqlStatement($"INSERT INTO {table} (k, v) VALUES (?, ?)", 1, "before") { Prepare = true });
        var select = new CqlStatement($"SELECT v FROM {table} WHERE k = ?", 1) { Prepare = true, IsIdempotent = true };
        var prepared = await session.PrepareAsync(select.Cql);
        Assert.Equal("before", (await session.ExecuteAsync(select)).Rows.Single().GetString("v"));

        var clock = Stopwatch.StartNew();
        var down = await CassandraService.RunAsync("down");
        Assert.True(down.ExitCode == 0, down.Output);
        var up = await CassandraService.RunAsync("up");
        Assert.True(up.ExitCode == 0, up.Output);
        output.WriteLine($"restart took {clock.ElapsedMilliseconds} ms: {up.Output.Trim()}");

        // The restarted server really forgot the statement: its old id is UNPREPARED on a fresh connection.
        await using (var raw = await Poll.UntilAsync(
            () => CqlConnection.OpenAsync(CqlEndpoint.Parse(fixture.ContactPoint), fixture.ClientOptions(), CancellationToken.None),
            TimeSpan.FromSeconds(30), "reconnecting"))
        {
            var parameters = new CqlQueryParameters(CqlConsistency.One, 0, null, null);
            var unprepared = await Assert.ThrowsAsync<CqlUnpreparedException>(() =>
                raw.SendAsync(CqlRequest.Execute(prepared.Id, [CqlValueCodec.Encode(1)], parameters), TimeSpan.FromSeconds(10), CancellationToken.None));
            Assert.Equal(prepared.Id, unprepared.PreparedId);
        }

        // The session's cached statement is re-prepared transparently, on the reconnected pool.
        var after = await Poll.UntilAsync(() => session.ExecuteAsync(select), TimeSpan.FromSeconds(30), "the prepared select after restart");
        Assert.Equal("before", after.Rows.Single().GetString("v"));
        await session.ExecuteAsync(new CqlStatement($"INSERT INTO {table} (k, v) VALUES (?, ?)", 2, "after") { Prepare = true });
    }
}
