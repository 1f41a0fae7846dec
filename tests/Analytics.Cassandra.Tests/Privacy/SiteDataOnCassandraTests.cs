using System.Text;
using Analytics.Cassandra.Storage;
using Analytics.Cassandra.Tests.EventLog;
using Analytics.Cassandra.Tests.Support;
using Analytics.Cql;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Privacy;
using Analytics.GrainInterfaces.Sites;
using Analytics.Testing;
using Orleans.TestingHost;

namespace Analytics.Cassandra.Tests.Privacy;

/// <summary>Export from the Cassandra raw log and delete-site in the cluster's storage, on a real Cassandra.</summary>
[Collection(CassandraCollection.Name)]
public sealed class SiteDataOnCassandraTests(CassandraFixture fixture)
{
    private static readonly DateTime Morning = new(2026, 1, 14, 9, 0, 0, DateTimeKind.Utc);
    // Events as the pipeline writes them for a located visitor with props: export and erasure see every column filled.
    private static readonly IReadOnlyDictionary<string, string> Plan = new Dictionary<string, string> { ["plan"] = "pro" };

    [Fact]
    public async Task Raw_events_export_from_the_log_and_delete_site_leaves_no_row_naming_the_site_or_its_visitors()
    {
        if (!RequiresServices.Cassandra(fixture))
        {
            return;
        }

        var run = Guid.NewGuid().ToString("N")[..8];
        var (site, keep) = ($"erase-{run}.test", $"keep-{run}.test");
        var visitors = new[] { $"erasevisitor-{run}-1", $"erasevisitor-{run}-2" };
        var events = visitors.SelectMany(v => new[]
        {
            TestEvents.Pageview(v, Morning, site: site, country: "DE", props: Plan),
            TestEvents.Custom(v, Morning.AddMinutes(3), "Signup", site: site, country: "DE", props: Plan),
            TestEvents.Pageview(v, Morning.AddDays(1).AddHours(14), site: site, country: "DE", props: Plan), // the next UTC day: another raw-log partition
        }).ToList();
        var kept = TestEvents.Pageview($"keepvisitor-{run}", Morning, site: keep, country: "DE", props: Plan);

        var cluster = await AnalyticsCluster.StartAsync(fixture);
        try
        {
            var grains = cluster.GrainFactory;
            foreach (var domain in new[] { site, keep })
            {
                await grains.GetGrain<ISiteGrain>(domain).RegisterAsync(new SiteSettings { Domain = domain });
            }

            await AnalyticsCluster.Log(cluster).DeliverAsync(events.Append(kept));

            var exported = new List<TrackedEvent>();
            await foreach (var e in grains.GetGrain<IRawEventExportGrain>(Guid.NewGuid()).ReadAsync(site, Morning.Date, Morning.Date.AddDays(2)))
            {
                exported.Add(e);
            }

            Assert.Equal(events.Select(e => e.Id).Order(), exported.Select(e => e.Id).Order());
            Assert.Equal(exported.OrderBy(e => e.Timestamp).Select(e => e.Id), exported.Select(e => e.Id));
            var before = await RowsNamingAsync(cluster, site, visitors);
            Assert.NotEmpty(before); // control: the scan sees the site before
            Assert.Contains($"{AnalyticsCluster.LaneStore(cluster).PartsTable}: {site}", before); // its visitors' open sessions
            Assert.Contains($"event_blocks: {visitors[0]}", before); // and its archived events

            Assert.True(await grains.GetGrain<ISiteGrain>(site).DeleteAsync());
            // A late event (still in Kafka when the site was erased) reaches a new visitor activation: dropped, not stored.
            var late = $"latevisitor-{run}";
            await AnalyticsCluster.Log(cluster).DeliverAsync([TestEvents.Pageview(late, Morning.AddHours(1), site: site, country: "DE", props: Plan)]);

            Assert.Empty(await RowsNamingAsync(cluster, site, [.. visitors, late]));
            Assert.NotEmpty(await RowsNamingAsync(cluster, keep, [])); // control: the other site is untouched
            Assert.Null(await grains.GetGrain<ISiteGrain>(site).GetSettingsAsync());
            Assert.DoesNotContain(site, await grains.GetGrain<ISiteRegistryGrain>(0).ListAsync());

            // Registered again, it starts from zero and counts again.
            await grains.GetGrain<ISiteGrain>(site).RegisterAsync(new SiteSettings { Domain = site });
            await AnalyticsCluster.Log(cluster).DeliverAsync([TestEvents.Pageview(visitors[0], Morning.AddHours(2), site: site, country: "DE", props: Plan)]);
            var again = new List<TrackedEvent>();
            await foreach (var e in grains.GetGrain<IRawEventExportGrain>(Guid.NewGuid()).ReadAsync(site, Morning.Date, Morning.Date.AddDays(2)))
            {
                again.Add(e);
            }

            Assert.Single(again);
        }
        finally
        {
            await AnalyticsCluster.StopAsync(cluster);
        }
    }

    /// <summary>Every row of the keyspace's grain state, its per-site index, the raw log, the segments and the lanes' sessions that names the site or a visitor (key, column or blob).</summary>
    private async Task<List<string>> RowsNamingAsync(TestCluster cluster, string site, IReadOnlyList<string> visitors)
    {
        var secrets = visitors.Prepend(site).ToList();
        var found = new List<string>();
        foreach (var (table, columns) in new[]
        {
            ("grain_state", "grain_type, grain_id, state_name, state"),
            ("grain_state_by_site", "site, grain_type, grain_id, state_name"),
            ("events", "site, day, visitor, envelope"),
            ("event_blocks", "site, day, data"),
            ("segment_chunks", "site, day, data"),
            ("segment_batches", "site, day, data"),
            ("segment_days", "site, day"),
            (AnalyticsCluster.LaneStore(cluster).PartsTable, "lane, sessions"),
        })
        {
            await foreach (var row in fixture.Session.QueryAllAsync(new CqlStatement($"SELECT {columns} FROM {fixture.Keyspace}.{table}") { PageSize = 500 }))
            {
                // The lanes' parts and the archive's blocks are stored packed: looked at as the records they hold.
                var packed = table == AnalyticsCluster.LaneStore(cluster).PartsTable || table == "event_blocks";
                var text = string.Join(' ', Enumerable.Range(0, row.FieldCount).Select(i => row[i] switch
                {
                    byte[] bytes => Encoding.UTF8.GetString(packed ? CassandraBlobCodec.Unpack(bytes) : bytes),
                    var value => value?.ToString(),
                }));
                found.AddRange(secrets.Where(s => text.Contains(s, StringComparison.Ordinal)).Select(s => $"{table}: {s}"));
            }
        }

        return found;
    }
}
