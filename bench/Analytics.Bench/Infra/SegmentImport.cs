using System.Diagnostics;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Reaggregation;
using Analytics.Grains.Segments;
using Analytics.Sqlite.Segments;

namespace Analytics.Bench.Infra;

/// <summary>
/// Bench-only history import through the product's own segment writer: each site's events are sessionized with the live
/// rules (<see cref="SegmentRebuilder"/>, what re-aggregation uses), each day's appends go into a
/// <see cref="SegmentBuilder"/>, and the built segment is sealed into the embedded profile's segment store (the silo's own
/// <see cref="SqliteSegmentStore"/> class and file) while the silo is stopped. No HTTP, no grains: 30 days of history
/// cannot come in over HTTP (the gateway stamps the receive time), and the grains' path is measured by the queries
/// scenario. The rows the segments hold are handed back so the peers load exactly the same sessions and events.
/// </summary>
public static class SegmentImport
{
    public static async Task<ImportedSegments> SealAsync(string dataDirectory, IReadOnlyList<TrackedEvent> events, DateOnly first, DateOnly last)
    {
        var sw = Stopwatch.StartNew();
        var options = new SqliteSegmentStoreOptions();
        var store = new SqliteSegmentStore(Path.Combine(dataDirectory, options.FileName), options);
        var rows = new SegmentRows();
        long bytes = 0;
        var segments = 0;
        var build = TimeSpan.Zero;
        var write = TimeSpan.Zero;
        await using (store)
        {
            // Site by site, so only one site's appends (an event row and a session snapshot per event) are in memory.
            foreach (var site in events.GroupBy(e => e.Site, StringComparer.Ordinal))
            {
                var rebuilder = new SegmentRebuilder();
                foreach (var e in site)
                {
                    rebuilder.Add(e);
                }

                for (var day = first.AddDays(-1); day <= last.AddDays(1); day = day.AddDays(1))
                {
                    var key = new SegmentKey(site.Key, day);
                    var appends = rebuilder.AppendsOf(key);
                    if (appends.Count == 0)
                    {
                        continue;
                    }

                    var clock = Stopwatch.StartNew();
                    var builder = new SegmentBuilder(key);
                    foreach (var append in appends)
                    {
                        builder.Apply(append);
                    }

                    var segment = builder.Build();
                    build += clock.Elapsed;
                    clock.Restart();
                    var sealedBytes = segment.Write();
                    await store.SealAsync(key.ToString(), sealedBytes, -1, CancellationToken.None);
                    write += clock.Elapsed;
                    bytes += sealedBytes.Length;
                    segments++;
                    rows.Add(site.Key, appends);
                }
            }
        }

        return new ImportedSegments(segments, rows.Events.Count, rows.Sessions.Count, bytes, sw.Elapsed, build, write, rows);
    }
}

/// <summary>What <see cref="SegmentImport"/> stored: counts, sealed bytes, times, and the rows themselves.</summary>
public sealed record ImportedSegments(
    int Segments, int Events, int Sessions, long SealedBytes, TimeSpan Elapsed, TimeSpan Build, TimeSpan Write, SegmentRows Rows)
{
    public double BytesPerEvent => Events == 0 ? 0 : (double)SealedBytes / Events;
}

/// <summary>
/// The rows of the imported segments as the peers load them: every event with its session's final snapshot (the one a
/// segment keeps: the highest version), and every session once.
/// </summary>
public sealed class SegmentRows
{
    public List<PeerEvent> Events { get; } = [];

    public List<PeerSession> Sessions { get; } = [];

    public void Add(string site, IReadOnlyList<SegmentAppend> appends)
    {
        var sessions = new Dictionary<ulong, SessionRow>();
        foreach (var append in appends)
        {
            foreach (var session in append.Sessions)
            {
                if (!sessions.TryGetValue(session.SessionId, out var current) || current.Version <= session.Version)
                {
                    sessions[session.SessionId] = session;
                }
            }
        }

        foreach (var append in appends)
        {
            foreach (var e in append.Events)
            {
                Events.Add(new PeerEvent(site, e, sessions.GetValueOrDefault(e.Session)));
            }
        }

        Sessions.AddRange(sessions.Values.Select(s => new PeerSession(site, s)));
    }
}

public sealed record PeerEvent(string Site, EventRow Event, SessionRow? Session)
{
    /// <summary>The generator sends at most one custom property per event; the peers keep it as one key/value pair.</summary>
    public KeyValuePair<string, string>? Prop => Event.Props is { Count: > 0 } props ? props.First() : null;
}

public sealed record PeerSession(string Site, SessionRow Session);
