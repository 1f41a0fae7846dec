using System.IO.Hashing;
using System.Text;
using Analytics.Abstractions.Lanes;
using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Lanes;
using Analytics.GrainInterfaces.Privacy;
using Analytics.Grains.EventLog;
using Analytics.Grains.Segments;
using Microsoft.Extensions.Logging;
using Orleans.Placement;
using Orleans.Streams;

namespace Analytics.Grains.Lanes;

/// <summary>
/// Sessionizes one stream queue. A delivered batch (one pull of the queue) is handled in one turn: events at or below the
/// checkpoint are skipped (a redelivery), the rest archived in the raw log, sessionized in the <see cref="LaneSessionTable"/>,
/// appended with ONE call per touched segment, then checkpointed with ONE write (offset, watermark, changed sessions).
/// A crash anywhere before the checkpoint replays the batch from the previous one: the same state and the same events give
/// the same rows with the same offsets, which the segments skip row by row. Placed on the silo of its pulling agent.
/// </summary>
[ImplicitStreamSubscription(StreamNames.Lanes)]
[PreferLocalPlacement]
public sealed partial class LaneGrain(ILaneStateStore store, IRawEventLog rawLog, LaneMetrics metrics, ILogger<LaneGrain> logger)
    : Grain, ILaneGrain
{
    /// <summary>How long a site found not erased is taken as such without asking its tombstone again.</summary>
    private static readonly TimeSpan NotErasedFor = TimeSpan.FromSeconds(10);

    /// <summary>Sites found not erased, with the timestamp until which that answer is trusted.</summary>
    private readonly Dictionary<string, long> _notErased = new(StringComparer.Ordinal);

    private string _lane = "";
    private ulong _producer;
    /// <summary>Null until read from the store, and again after a failed batch (memory may be ahead of the checkpoint).</summary>
    private LaneSessionTable? _table;

    /// <summary>The segment producer id of a lane: stable across restarts and silos.</summary>
    public static ulong ProducerOf(string lane) => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes("lane|" + lane));

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _lane = this.GetPrimaryKeyString();
        _producer = ProducerOf(_lane);
        var stream = this.GetStreamProvider(StreamNames.Provider).GetStream<TrackedEvent>(StreamId.Create(StreamNames.Lanes, _lane));
        await stream.SubscribeAsync(HandleAsync);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Forget(_lane);
        return Task.CompletedTask;
    }

    private async Task HandleAsync(IList<SequentialItem<TrackedEvent>> items)
    {
        var table = _table ??= await RestoreAsync();
        var fresh = new List<LaneEvent>(items.Count);
        foreach (var item in items)
        {
            if (item.Token.SequenceNumber > table.Offset)
            {
                fresh.Add(new LaneEvent(item.Token.SequenceNumber, item.Item));
            }
        }

        if (fresh.Count == 0)
        {
            return;
        }

        metrics.Batch(fresh.Count);
        try
        {
            var at = System.Diagnostics.Stopwatch.GetTimestamp();
            var kept = await DropErasedSitesAsync(fresh);
            at = metrics.Step("erased_check", at);
            if (kept.Count > 0)
            {
                // Archived before it is counted: a failed append throws before anything is counted, and the stream redelivers.
                await rawLog.AppendAsync([.. kept.Select(e => e.Event)]);
            }

            at = metrics.Step("archive", at);
            var batch = table.Sessionize(kept);
            table.SkipTo(fresh[^1].Offset);
            at = metrics.Step("sessionize", at);
            await Task.WhenAll(batch.Appends.Select(a => GrainFactory.GetGrain<ISegmentGrain>(a.Segment).AppendAsync([a.Append])));
            at = metrics.Step("append_segments", at);
            await store.WriteAsync(_lane, new LaneCheckpointWrite(table.Offset, table.Watermark, batch.ChangedSessions, table.ExpireBefore), CancellationToken.None);
            metrics.Step("checkpoint", at);
        }
        catch (Exception ex)
        {
            // Memory is ahead of the checkpoint: start again from it, so the redelivery yields the same rows.
            _table = null;
            LogBatchFailed(ex, _lane, fresh[0].Offset, fresh[^1].Offset);
            throw;
        }
    }

    private async Task<LaneSessionTable> RestoreAsync()
    {
        var checkpoint = await store.ReadAsync(_lane, CancellationToken.None);
        var table = LaneSessionTable.Restore(_producer, checkpoint);
        metrics.Track(_lane, table);
        LogRestored(_lane, checkpoint.Offset, table.OpenSessions);
        return table;
    }

    public Task SiteErasedAsync(string site)
    {
        // The cached "not erased" answer is void: the lane's next batch with the site asks its tombstone again. Being a
        // grain call, this returns only after the batch in progress, which is what the erasure waits for.
        _notErased.Remove(site);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Events of an erased site still in flight are dropped, never counted or stored. A site found not erased is not
    /// asked again for <see cref="NotErasedFor"/> (a call per site per batch was 4 % of a batch): an erasure tells every
    /// lane at once (<see cref="SiteErasedAsync"/>), the expiry only bounds a notice that never came.
    /// </summary>
    private async Task<IReadOnlyList<LaneEvent>> DropErasedSitesAsync(List<LaneEvent> events)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        List<string>? unknown = null;
        foreach (var e in events)
        {
            var site = e.Event.Site;
            if ((!_notErased.TryGetValue(site, out var until) || until < now) && !(unknown ??= []).Contains(site, StringComparer.Ordinal))
            {
                unknown.Add(site);
            }
        }

        if (unknown is null)
        {
            return events;
        }

        var erased = await Task.WhenAll(unknown.Select(site => GrainFactory.Of(site).IsErasedAsync()));
        HashSet<string>? dropped = null;
        var trustedUntil = now + (long)(NotErasedFor.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        for (var i = 0; i < unknown.Count; i++)
        {
            if (erased[i])
            {
                (dropped ??= new HashSet<string>(StringComparer.Ordinal)).Add(unknown[i]);
                _notErased.Remove(unknown[i]);
            }
            else
            {
                _notErased[unknown[i]] = trustedUntil;
            }
        }

        return dropped is null ? events : [.. events.Where(e => !dropped.Contains(e.Event.Site))];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Lane {Lane} restored at offset {Offset} with {Sessions} visitors")]
    private partial void LogRestored(string lane, long offset, int sessions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lane {Lane} failed a batch ({First}..{Last}); it is redelivered from the checkpoint")]
    private partial void LogBatchFailed(Exception error, string lane, long first, long last);
}
