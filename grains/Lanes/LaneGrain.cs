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

        try
        {
            var kept = await DropErasedSitesAsync(fresh);
            if (kept.Count > 0)
            {
                // Archived before it is counted: a failed append throws before anything is counted, and the stream redelivers.
                await rawLog.AppendAsync([.. kept.Select(e => e.Event)]);
            }

            var batch = table.Sessionize(kept);
            table.SkipTo(fresh[^1].Offset);
            await Task.WhenAll(batch.Appends.Select(a => GrainFactory.GetGrain<ISegmentGrain>(a.Segment).AppendAsync([a.Append])));
            await store.WriteAsync(_lane, new LaneCheckpointWrite(table.Offset, table.Watermark, batch.ChangedSessions, table.ExpireBefore), CancellationToken.None);
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

    /// <summary>Events of an erased site still in flight are dropped, never counted or stored (asked per batch: erasure must win at once).</summary>
    private async Task<IReadOnlyList<LaneEvent>> DropErasedSitesAsync(List<LaneEvent> events)
    {
        var sites = events.Select(e => e.Event.Site).Distinct(StringComparer.Ordinal).ToList();
        var erased = await Task.WhenAll(sites.Select(site => GrainFactory.Of(site).IsErasedAsync()));
        if (!erased.Any(e => e))
        {
            return events;
        }

        var dropped = sites.Where((_, i) => erased[i]).ToHashSet(StringComparer.Ordinal);
        return [.. events.Where(e => !dropped.Contains(e.Event.Site))];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Lane {Lane} restored at offset {Offset} with {Sessions} visitors")]
    private partial void LogRestored(string lane, long offset, int sessions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lane {Lane} failed a batch ({First}..{Last}); it is redelivered from the checkpoint")]
    private partial void LogBatchFailed(Exception error, string lane, long first, long last);
}
