using Analytics.Abstractions.Segments;
using Analytics.GrainInterfaces.Privacy;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Analytics.GrainInterfaces.Sites;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace Analytics.Grains.Segments;

/// <summary>
/// One segment. Open: each append that adds something is one batch in the store, durable before the call returns, and
/// an activation rebuilds the segment from its sealed form and the batches since. When its day can no longer change
/// (<see cref="SealedSegments.SealAt"/>) it seals: written once as Arrow IPC, its batches dropped, its bytes put in the
/// hot cache where queries read it without this activation, which then goes idle. A late append reopens it; the timer
/// seals it again a <see cref="SegmentOptions.SealCheckInterval"/> later, so a past day that takes many appends in a row
/// (a history import, a lane's backlog) writes itself whole once, not after every append.
/// </summary>
[CollectionAgeLimit(Minutes = 5)]
public sealed class SegmentGrain(
    ISegmentStore store,
    SealedSegments sealedSegments,
    LateEventResults lateEvents,
    IOptions<SegmentOptions> options,
    Serializer serializer,
    TimeProvider time)
    : Grain, ISegmentGrain, ISegmentExportGrain
{
    private SegmentKey _key;
    /// <summary>Takes appends; created on the first one when the activation found the segment sealed (see <see cref="Builder"/>).</summary>
    private SegmentBuilder? _builder;
    private Segment? _built;
    private long _nextBatch;
    private bool _sealed;
    private bool _siteErased;
    private IGrainTimer? _sealTimer;
    private int _batchesSinceCompaction;
    private long _lastCompaction;

    /// <summary>Whether the store holds rows of this segment and its site knows the day (see <see cref="ISiteGrain.NoteSegmentDayAsync"/>).</summary>
    private bool _listed;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = SegmentKey.Parse(this.GetPrimaryKeyString());
        // Appends of an erased site still in flight (a lane's batch) must not recreate its segments.
        _siteErased = await GrainFactory.Of(_key.Site).IsErasedAsync();
        var stored = await store.ReadAsync(_key.ToString(), cancellationToken);
        // A sealed segment is scanned as it was read: turning it back into rows and encoding them again is only for appends.
        _built = stored.Sealed is { } sealedBytes ? sealedSegments.Read(sealedBytes) : null;
        foreach (var batch in stored.Batches)
        {
            foreach (var append in serializer.Deserialize<List<SegmentAppend>>(batch.Payload) ?? [])
            {
                Builder().Apply(append);
            }

            _nextBatch = batch.Batch + 1;
        }

        if (stored.Batches.Count > 0)
        {
            _built = null; // the sealed form lacks the batches: built again from the builder
        }

        _batchesSinceCompaction = stored.Batches.Count;
        _listed = stored.Sealed is not null || stored.Batches.Count > 0;
        if (stored.Batches.Count == 0 && sealedSegments.IsSealable(_key))
        {
            // Sealed, or a past day that never had a row: either way its final form, which queries may read from the cache.
            _sealed = true;
            await sealedSegments.StoreAsync(_key, stored.Sealed ?? Current().Write());
        }
        else if (stored.Batches.Count > 0 || stored.Sealed is not null)
        {
            ScheduleSeal(TimeSpan.Zero);
        }
    }

    public async Task AppendAsync(IReadOnlyList<SegmentAppend> appends)
    {
        if (_siteErased)
        {
            return;
        }

        var applied = new List<SegmentAppend>(appends.Count);
        foreach (var append in appends)
        {
            if (Builder().Apply(append))
            {
                applied.Add(append);
            }
        }

        if (applied.Count == 0)
        {
            // A replay of what is stored: the note of the first append may be what failed.
            await NoteDayAsync();
            return;
        }

        _built = null;
        try
        {
            await store.AppendAsync(_key.ToString(), _nextBatch, serializer.SerializeToArray(applied), CancellationToken.None);
        }
        catch
        {
            // Memory now holds what storage does not: start over from storage so the retry is counted.
            DeactivateOnIdle();
            throw;
        }

        _nextBatch++;
        await NoteDayAsync();
        await lateEvents.AfterAppendAsync(_key.Site, applied);
        if (++_batchesSinceCompaction >= options.Value.CompactAfterBatches
            && time.GetElapsedTime(_lastCompaction) >= options.Value.CompactInterval
            && !sealedSegments.IsSealable(_key))
        {
            // A busy day takes a batch per flush: folded into one payload now and then, an activation replays few.
            await WriteCompactedAsync(CancellationToken.None);
        }

        if (_sealed)
        {
            // Reopened by a late append: queries must ask this activation until it seals again.
            _sealed = false;
            await sealedSegments.ForgetAsync(_key);
        }

        // Not at once: a past day taking a history import or a lane's backlog would write itself whole after every append.
        ScheduleSeal(options.Value.SealCheckInterval);
    }

    public async Task RebuildAsync(IReadOnlyList<SegmentAppend> appends)
    {
        if (_siteErased || (appends.Count == 0 && Current() is { EventCount: 0, SessionCount: 0 }))
        {
            return; // nothing stored, nothing to store: spares a write per empty day of the range
        }

        var rebuilt = new SegmentBuilder(_key);
        foreach (var append in appends)
        {
            rebuilt.Apply(append);
        }

        // The lanes' positions survive the rebuild, so events they redeliver later are still recognised as applied.
        rebuilt.KeepPositions(Current().Producers);

        _builder = rebuilt;
        _built = null;
        byte[] bytes;
        try
        {
            bytes = await WriteCompactedAsync(CancellationToken.None);
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }

        await NoteDayAsync();
        if (sealedSegments.IsSealable(_key))
        {
            _sealed = true;
            await sealedSegments.StoreAsync(_key, bytes);
        }
        else
        {
            _sealed = false;
            await sealedSegments.ForgetAsync(_key);
            ScheduleSeal(TimeSpan.Zero);
        }
    }

    /// <summary>A sealed segment's partial may be a cached one, as when the query reads it from the hot cache (<see cref="SealedSegments.Partials"/>).</summary>
    public Task<SegmentPartial> ScanAsync(StatsQuery query) =>
        Task.FromResult(_sealed ? sealedSegments.Partials.Scan(Current(), query) : Current().Scan(query));

    public Task<FunnelPartial> FunnelAsync(StatsQuery query) => Task.FromResult(Current().Funnel(query));

    public Task<byte[]?> ExportAsync(DateTime fromUtc, DateTime toUtc) => Task.FromResult(SegmentExport.Write(Current(), fromUtc, toUtc));

    private Segment Current() => _built ??= Builder().Build();

    /// <summary>The open builder; a sealed segment read at activation is reopened (its rows and producers kept) on first use.</summary>
    private SegmentBuilder Builder() => _builder ??= _built is { } sealedSegment ? SegmentBuilder.Reopen(sealedSegment) : new SegmentBuilder(_key);

    /// <summary>Tells the site about this day once its first rows are durable (and again after a failed note), before the append returns.</summary>
    private async Task NoteDayAsync()
    {
        if (_listed)
        {
            return;
        }

        await GrainFactory.GetGrain<ISiteGrain>(_key.Site).NoteSegmentDayAsync(_key.Day);
        _listed = true;
    }

    /// <summary>Stores the whole segment as one payload in place of its batches (what sealing does, and compaction before it).</summary>
    private async Task<byte[]> WriteCompactedAsync(CancellationToken cancellationToken)
    {
        var bytes = Current().Write();
        await store.SealAsync(_key.ToString(), bytes, _nextBatch - 1, cancellationToken);
        _batchesSinceCompaction = 0;
        _lastCompaction = time.GetTimestamp();
        return bytes;
    }

    /// <summary>Seals when the day's time has come, but not sooner than <paramref name="atLeast"/> from now.</summary>
    private void ScheduleSeal(TimeSpan atLeast)
    {
        if (_sealTimer is not null)
        {
            return;
        }

        var due = sealedSegments.SealAt(_key) - time.GetUtcNow().UtcDateTime;
        // Kept alive until sealed, so an open segment is never dropped from memory with nobody left to seal it.
        _sealTimer = this.RegisterGrainTimer(SealAsync, new GrainTimerCreationOptions(due > atLeast ? due : atLeast, options.Value.SealCheckInterval) { KeepAlive = true });
    }

    private async Task SealAsync(CancellationToken cancellationToken)
    {
        if (_sealed || !sealedSegments.IsSealable(_key))
        {
            return;
        }

        var bytes = await WriteCompactedAsync(cancellationToken);
        _sealed = true;
        _sealTimer?.Dispose();
        _sealTimer = null;
        await sealedSegments.StoreAsync(_key, bytes);
    }
}
