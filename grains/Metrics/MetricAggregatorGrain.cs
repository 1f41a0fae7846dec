using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Segments;
using Analytics.Grains.Segments;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Analytics.Grains.Metrics;

/// <summary>
/// One activation per silo gathers segment appends and hands each touched segment its share in one call once a flush
/// interval (or earlier when many are pending). Reentrant: callers wait for the flush that carries their appends while
/// others add theirs.
/// </summary>
[StatelessWorker(1), Reentrant]
public sealed class MetricAggregatorGrain(IOptions<MetricsOptions> options) : Grain, IMetricAggregatorGrain
{
    private Batch _batch = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var interval = options.Value.FlushInterval;
        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(interval, interval) { Interleave = true, KeepAlive = true });
        return Task.CompletedTask;
    }

    public Task AddAsync(IReadOnlyList<RoutedAppend> appends)
    {
        if (appends.Count == 0)
        {
            return Task.CompletedTask;
        }

        var batch = _batch;
        foreach (var a in appends)
        {
            batch.Add(a);
        }

        if (batch.Count >= options.Value.MaxPendingContributions)
        {
            _ = FlushAsync(CancellationToken.None);
        }

        return batch.Done.Task;
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_batch.Count == 0)
        {
            return;
        }

        var batch = _batch;
        _batch = new Batch();
        try
        {
            await Task.WhenAll(batch.BySegment.Select(s => GrainFactory.GetGrain<ISegmentGrain>(s.Key).AppendAsync(s.Value)));
            batch.Done.TrySetResult();
        }
        catch (Exception ex)
        {
            batch.Done.TrySetException(ex);
        }
    }

    private sealed class Batch
    {
        public Dictionary<string, List<SegmentAppend>> BySegment { get; } = new(StringComparer.Ordinal);

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count { get; private set; }

        public void Add(RoutedAppend append)
        {
            if (!BySegment.TryGetValue(append.Segment, out var list))
            {
                list = [];
                BySegment[append.Segment] = list;
            }

            list.Add(append.Append);
            Count++;
        }
    }
}
