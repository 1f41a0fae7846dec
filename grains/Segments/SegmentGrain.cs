using Analytics.Abstractions.Segments;
using Analytics.GrainInterfaces.Privacy;
using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace Analytics.Grains.Segments;

/// <summary>
/// One segment. Open: each append that adds something is one batch in the store, durable before the call returns, and
/// an activation rebuilds the segment from its sealed form and the batches since. When its day can no longer change
/// (<see cref="SealedSegments.SealAt"/>) it seals: written once as Arrow IPC, its batches dropped, its bytes put in the
/// hot cache where queries read it without this activation, which then goes idle. A late append reopens it; the timer
/// seals it again.
/// </summary>
[CollectionAgeLimit(Minutes = 5)]
public sealed class SegmentGrain(
    ISegmentStore store, SealedSegments sealedSegments, IOptions<SegmentOptions> options, Serializer serializer, TimeProvider time)
    : Grain, ISegmentGrain
{
    private SegmentKey _key;
    private SegmentBuilder _builder = null!;
    private Segment? _built;
    private long _nextBatch;
    private bool _sealed;
    private bool _siteErased;
    private IGrainTimer? _sealTimer;
    private int _batchesSinceCompaction;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = SegmentKey.Parse(this.GetPrimaryKeyString());
        // Appends of an erased site still in flight (the aggregator's batch) must not recreate its segments.
        _siteErased = await GrainFactory.Of(_key.Site).IsErasedAsync();
        var stored = await store.ReadAsync(_key.ToString(), cancellationToken);
        _builder = stored.Sealed is { } sealedBytes ? SegmentBuilder.Reopen(Segment.Read(sealedBytes)) : new SegmentBuilder(_key);
        foreach (var batch in stored.Batches)
        {
            foreach (var append in serializer.Deserialize<List<SegmentAppend>>(batch.Payload) ?? [])
            {
                _builder.Apply(append);
            }

            _nextBatch = batch.Batch + 1;
        }

        _batchesSinceCompaction = stored.Batches.Count;
        if (stored.Batches.Count == 0 && sealedSegments.IsSealable(_key))
        {
            // Sealed, or a past day that never had a row: either way its final form, which queries may read from the cache.
            _sealed = true;
            await sealedSegments.StoreAsync(_key, stored.Sealed ?? Current().Write());
        }
        else if (stored.Batches.Count > 0 || stored.Sealed is not null)
        {
            ScheduleSeal();
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
            if (_builder.Apply(append))
            {
                applied.Add(append);
            }
        }

        if (applied.Count == 0)
        {
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
        if (++_batchesSinceCompaction >= options.Value.CompactAfterBatches && !sealedSegments.IsSealable(_key))
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

        ScheduleSeal();
    }

    public async Task RebuildAsync(IReadOnlyList<SegmentAppend> appends)
    {
        if (_siteErased || (appends.Count == 0 && _builder.EventCount == 0 && _builder.SessionCount == 0))
        {
            return; // nothing stored, nothing to store: spares a write per empty day of the range
        }

        var rebuilt = new SegmentBuilder(_key);
        foreach (var append in appends)
        {
            rebuilt.Apply(append);
        }

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

        if (sealedSegments.IsSealable(_key))
        {
            _sealed = true;
            await sealedSegments.StoreAsync(_key, bytes);
        }
        else
        {
            _sealed = false;
            await sealedSegments.ForgetAsync(_key);
            ScheduleSeal();
        }
    }

    public Task<SegmentPartial> ScanAsync(StatsQuery query) => Task.FromResult(Current().Scan(query));

    public Task<FunnelPartial> FunnelAsync(StatsQuery query) => Task.FromResult(Current().Funnel(query));

    private Segment Current() => _built ??= _builder.Build();

    /// <summary>Stores the whole segment as one payload in place of its batches (what sealing does, and compaction before it).</summary>
    private async Task<byte[]> WriteCompactedAsync(CancellationToken cancellationToken)
    {
        var bytes = Current().Write();
        await store.SealAsync(_key.ToString(), bytes, _nextBatch - 1, cancellationToken);
        _batchesSinceCompaction = 0;
        return bytes;
    }

    private void ScheduleSeal()
    {
        if (_sealTimer is not null)
        {
            return;
        }

        var due = sealedSegments.SealAt(_key) - time.GetUtcNow().UtcDateTime;
        // Kept alive until sealed, so an open segment is never dropped from memory with nobody left to seal it.
        _sealTimer = this.RegisterGrainTimer(SealAsync, new GrainTimerCreationOptions(due > TimeSpan.Zero ? due : TimeSpan.Zero, options.Value.SealCheckInterval) { KeepAlive = true });
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
