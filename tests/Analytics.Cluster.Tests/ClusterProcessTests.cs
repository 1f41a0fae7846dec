using System.Diagnostics;
using System.Net;

namespace Analytics.Cluster.Tests;

/// <summary>
/// The cluster profile as real processes: gateway → Kafka → silos (Redis membership, Cassandra state), read back through
/// the gateway's query API. Every number asserted is exact.
/// </summary>
public sealed class ClusterProcessTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Beacons_posted_to_the_gateway_are_counted_exactly_through_Kafka_and_the_silo()
    {
        if (!ServiceEndpoints.ClusterServicesAvailable())
        {
            return;
        }
        await using var bed = await ClusterTestBed.CreateAsync("counted", partitions: 4);
        var silo = await bed.StartSiloAsync("silo");
        await bed.StartGatewayAsync();

        var posted = await bed.PostAcceptedAsync(60);

        await bed.AssertCountedExactlyAsync([.. posted.Select(p => p.Seq)], Deadline);
        var totals = await bed.TotalsAsync();
        Assert.Equal(new double[] { 60, 7 }, totals);
        Assert.Equal(5, (await bed.PagesAsync()).Count);

        // The silo's /metrics shows its lanes' batches (the gateway's shows only its pipeline).
        using var http = new HttpClient { BaseAddress = silo.BaseAddress };
        var metrics = await http.GetStringAsync("metrics");
        var batched = metrics.Split('\n').Where(l => l.StartsWith("analytics_lanes_batch_events_sum", StringComparison.Ordinal)).Sum(l => double.Parse(l.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(batched >= 60, $"the silo's lanes report {batched} events in batches, expected at least the 60 counted:\n{metrics}");
    }

    [Fact]
    public async Task A_silo_killed_mid_stream_is_replaced_without_losing_or_double_counting_an_accepted_beacon()
    {
        if (!ServiceEndpoints.ClusterServicesAvailable())
        {
            return;
        }
        await using var bed = await ClusterTestBed.CreateAsync("killed", partitions: 4);
        var first = await bed.StartSiloAsync("silo-1");
        await bed.StartGatewayAsync();

        await using var poster = bed.StartPosting();
        await poster.WaitForAcceptedAsync(80, Deadline);
        await first.KillAsync();
        var acceptedAtKill = poster.AcceptedCount;

        await bed.StartSiloAsync("silo-2", inPlaceOf: first);
        // The gateway keeps accepting (Kafka holds the beacons) and must keep working with the new silo.
        await poster.WaitForAcceptedAsync(acceptedAtKill + 60, Deadline);
        var results = await poster.StopAsync();

        var accepted = results.Where(r => r.Accepted).Select(r => r.Seq).ToList();
        Assert.True(results.All(r => r.Accepted || r.Status != HttpStatusCode.Accepted), "a 202 with a drop reason: " + bed.Logs());
        await bed.AssertCountedExactlyAsync(accepted, Deadline);
    }

    [Fact]
    public async Task Two_silos_share_the_partitions_and_the_survivor_of_a_graceful_stop_takes_them_all()
    {
        if (!ServiceEndpoints.ClusterServicesAvailable())
        {
            return;
        }
        const int partitions = 8;
        var all = Enumerable.Range(0, partitions).ToHashSet();
        await using var bed = await ClusterTestBed.CreateAsync("shared", partitions);
        var first = await bed.StartSiloAsync("silo-1");
        var second = await bed.StartSiloAsync("silo-2");
        await bed.StartGatewayAsync();

        // Both own some partitions, none owned twice, none unowned.
        await Poll.UntilAsync(
            () => Task.FromResult((One: bed.PartitionsOwnedBy(first), Two: bed.PartitionsOwnedBy(second))),
            o => o.One.Count > 0 && o.Two.Count > 0 && o.One.Count + o.Two.Count == partitions && o.One.Union(o.Two).ToHashSet().SetEquals(all),
            Deadline,
            "both silos to own a share of the partitions");

        var before = await bed.PostAcceptedAsync(40);
        await bed.AssertCountedExactlyAsync([.. before.Select(p => p.Seq)], Deadline);

        await first.StopAsync();
        Assert.Empty(bed.PartitionsOwnedBy(first));
        await Poll.UntilAsync(() => Task.FromResult(bed.PartitionsOwnedBy(second)), o => o.SetEquals(all), Deadline, "the survivor to own every partition");

        var after = await bed.PostAcceptedAsync(40);
        await bed.AssertCountedExactlyAsync([.. before.Concat(after).Select(p => p.Seq)], Deadline);
    }

    [Fact]
    public async Task A_silo_joining_while_beacons_flow_takes_its_share_and_every_accepted_beacon_is_counted_once()
    {
        if (!ServiceEndpoints.ClusterServicesAvailable())
        {
            return;
        }
        const int partitions = 8;
        await using var bed = await ClusterTestBed.CreateAsync("joined", partitions);
        var first = await bed.StartSiloAsync("silo-1");
        await bed.StartGatewayAsync();

        // The join moves partitions, and the grains they feed, while their events arrive: every segment must still have one
        // activation, or the events its two copies take apart are counted apart (and each copy's batches overwrite the other's).
        await using var poster = bed.StartPosting();
        await poster.WaitForAcceptedAsync(40, Deadline);
        var second = await bed.StartSiloAsync("silo-2");
        var all = Enumerable.Range(0, partitions).ToHashSet();
        await Poll.UntilAsync(
            () => Task.FromResult((One: bed.PartitionsOwnedBy(first), Two: bed.PartitionsOwnedBy(second))),
            o => o.One.Count == partitions / 2 && o.Two.Count == partitions / 2 && o.One.Union(o.Two).ToHashSet().SetEquals(all),
            Deadline,
            "the joining silo to take half of the partitions");
        await poster.WaitForAcceptedAsync(poster.AcceptedCount + 60, Deadline);
        var results = await poster.StopAsync();

        Assert.True(results.All(r => r.Accepted || r.Status != HttpStatusCode.Accepted), "a 202 with a drop reason: " + bed.Logs());
        await bed.AssertCountedExactlyAsync([.. results.Where(r => r.Accepted).Select(r => r.Seq)], Deadline);
    }

    [Fact]
    public async Task Three_silos_split_the_partitions_evenly_the_survivors_of_a_SIGKILL_take_them_all_and_a_fourth_silo_gets_its_share()
    {
        if (!ServiceEndpoints.ClusterServicesAvailable())
        {
            return;
        }
        const int partitions = 8;
        var all = Enumerable.Range(0, partitions).ToHashSet();
        await using var bed = await ClusterTestBed.CreateAsync("scaled", partitions);
        // Started together: they join the membership in any order, and the split must come out even all the same.
        var silos = new List<AnalyticsProcess>(await Task.WhenAll(bed.StartSiloAsync("silo-1"), bed.StartSiloAsync("silo-2"), bed.StartSiloAsync("silo-3")));
        await bed.StartGatewayAsync();

        // Every partition owned by exactly one live silo, and each live silo owning ⌊8/n⌋ or ⌈8/n⌉ of them.
        bool SplitEvenlyOver(IReadOnlyList<AnalyticsProcess> live)
        {
            var owned = live.Select(bed.PartitionsOwnedBy).ToList();
            return owned.Sum(o => o.Count) == partitions
                && owned.SelectMany(o => o).ToHashSet().SetEquals(all)
                && owned.All(o => o.Count >= partitions / live.Count && o.Count <= (partitions + live.Count - 1) / live.Count);
        }
        string Ownership() => string.Join("; ", silos.Select(s => $"{s.Name}{(s.HasExited ? " (dead)" : "")}: [{string.Join(',', bed.PartitionsOwnedBy(s))}]"));
        async Task UntilSplitEvenlyAsync(IReadOnlyList<AnalyticsProcess> live, string what)
        {
            try
            {
                await Poll.UntilAsync(() => Task.FromResult(SplitEvenlyOver(live)), ok => ok, Deadline, what);
            }
            catch (Exception ex) when (ex is not ProcessExitedException)
            {
                throw new Xunit.Sdk.XunitException($"{ex.Message}\nownership: {Ownership()}\n{bed.Logs()}");
            }
        }

        await UntilSplitEvenlyAsync(silos, "three silos to own 3, 3 and 2 partitions");

        await using var poster = bed.StartPosting();
        await poster.WaitForAcceptedAsync(60, Deadline);

        // A crash: no receiver is released, Orleans must declare the silo dead (probes, votes) before its partitions move.
        await silos[2].KillAsync();
        var survivors = silos.Take(2).ToList();
        await UntilSplitEvenlyAsync(survivors, "the two survivors to own 4 partitions each");
        await poster.WaitForAcceptedAsync(poster.AcceptedCount + 40, Deadline);

        // A fresh silo on a new endpoint joins and gets its share.
        silos.Add(await bed.StartSiloAsync("silo-4"));
        await UntilSplitEvenlyAsync([.. survivors, silos[3]], "the fourth silo to get its share: 3, 3 and 2 partitions");
        await poster.WaitForAcceptedAsync(poster.AcceptedCount + 40, Deadline);
        var results = await poster.StopAsync();

        Assert.True(results.All(r => r.Accepted || r.Status != HttpStatusCode.Accepted), "a 202 with a drop reason: " + bed.Logs());
        var accepted = results.Where(r => r.Accepted).Select(r => r.Seq).ToList();
        await bed.AssertCountedExactlyAsync(accepted, Deadline);
    }

    [Fact]
    public async Task While_Kafka_is_down_the_gateway_answers_503_and_recovers_by_itself_counting_every_accepted_beacon()
    {
        if (!ServiceEndpoints.ClusterServicesAvailable())
        {
            return;
        }
        await using var broker = new PrivateKafkaBroker();
        await broker.StartAsync();
        await using var bed = await ClusterTestBed.CreateAsync("outage", partitions: 2, broker);
        await bed.StartSiloAsync("silo");
        // Shorter producer timeouts than production's, so an outage shows within seconds; the behaviour is the same.
        await bed.StartGatewayAsync(new Dictionary<string, string>
        {
            ["Analytics__Kafka__DeliveryTimeout"] = "00:00:02",
            ["Analytics__Kafka__RetryAttempts"] = "1",
            ["Analytics__Kafka__BreakerMinimumThroughput"] = "3",
            ["Analytics__Kafka__BreakDuration"] = "00:00:03",
        });

        await using var poster = bed.StartPosting();
        await poster.WaitForAcceptedAsync(40, Deadline);
        await broker.KillAsync();
        var down = Stopwatch.GetTimestamp();
        await Poll.UntilAsync(
            () => Task.FromResult(poster.Results.Count(r => r.StartedAt > down && r.Status == HttpStatusCode.ServiceUnavailable)),
            n => n >= 3,
            Deadline,
            "the gateway to answer 503 while Kafka is down");
        var up = Stopwatch.GetTimestamp();
        await broker.StartAsync();

        var acceptedBeforeRecovery = poster.Results.Count(r => r.Accepted && r.StartedAt > up);
        await Poll.UntilAsync(
            () => Task.FromResult(poster.Results.Count(r => r.Accepted && r.StartedAt > up)),
            n => n >= acceptedBeforeRecovery + 30,
            Deadline,
            "the gateway to accept beacons again once Kafka is back");
        var results = await poster.StopAsync();

        // Started after the broker died and answered before it was started again: never 202.
        var whileDown = results.Where(r => r.StartedAt > down && r.EndedAt < up).ToList();
        Assert.NotEmpty(whileDown);
        Assert.All(whileDown, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.Status));
        Assert.All(results.Where(r => r.Status == HttpStatusCode.ServiceUnavailable), r => Assert.NotNull(r.RetryAfter));
        Assert.All(results, r => Assert.True(r.Accepted || r.Status == HttpStatusCode.ServiceUnavailable, $"beacon {r.Seq}: {(int)r.Status}"));

        // Every 202 is in Kafka. A 503 whose message the broker wrote just before it died may be there too (the gateway could
        // not know); the grid must count exactly what Kafka holds, each event once.
        await bed.WaitDrainedAsync(Deadline);
        var inTopic = bed.SeqsInTopic().ToHashSet();
        var accepted = results.Where(r => r.Accepted).Select(r => r.Seq).ToList();
        Assert.Empty(accepted.Except(inTopic));
        var rejectedButWritten = results.Where(r => !r.Accepted && inTopic.Contains(r.Seq)).Select(r => r.Seq).ToList();
        Assert.True(rejectedButWritten.Count <= 2, $"503 answered for beacons Kafka holds: {string.Join(", ", rejectedButWritten)}");
        await bed.AssertCountedExactlyAsync([.. accepted.Concat(rejectedButWritten)], Deadline);
    }
}
