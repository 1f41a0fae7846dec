using Analytics.GrainInterfaces.Metrics;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Analytics.Grains.Metrics;

/// <summary>
/// One activation per silo gathers contributions and applies them per bucket once a flush interval (or earlier when
/// many are pending). Reentrant: callers wait for the flush that carries their contributions while others add theirs.
/// </summary>
[StatelessWorker(1), Reentrant]
public sealed class MetricAggregatorGrain(IOptions<MetricsOptions> options) : Grain, IMetricAggregatorGrain
{
    private Batch _batch = new();
    private Dictionary<string, List<ContributionId>> _forgets = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var interval = options.Value.FlushInterval;
        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(interval, interval) { Interleave = true, KeepAlive = true });
        return Task.CompletedTask;
    }

    public Task AddAsync(IReadOnlyList<BucketContribution> contributions)
    {
        var batch = _batch;
        foreach (var c in contributions)
        {
            BucketFanOut.Expand(c, batch.Add);
        }

        if (batch.Count >= options.Value.MaxPendingContributions)
        {
            _ = FlushAsync(CancellationToken.None);
        }

        return batch.Done.Task;
    }

    public Task ForgetAsync(IReadOnlyList<BucketContribution> contributions)
    {
        foreach (var c in contributions)
        {
            BucketFanOut.Expand(c, (key, part) =>
            {
                var name = key.ToString();
                if (!_forgets.TryGetValue(name, out var ids))
                {
                    ids = [];
                    _forgets[name] = ids;
                }

                ids.Add(part.Id);
            });
        }

        return Task.CompletedTask;
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_forgets.Count > 0)
        {
            var forgets = _forgets;
            _forgets = new(StringComparer.Ordinal);
            foreach (var (key, ids) in forgets)
            {
                await GrainFactory.GetGrain<IMetricBucketGrain>(key).ForgetAsync(ids);
            }
        }

        if (_batch.Count == 0)
        {
            return;
        }

        var batch = _batch;
        _batch = new Batch();
        try
        {
            await Task.WhenAll(batch.ByBucket.Select(b => GrainFactory.GetGrain<IMetricBucketGrain>(b.Key).ApplyAsync(b.Value)));
            batch.Done.TrySetResult();
        }
        catch (Exception ex)
        {
            batch.Done.TrySetException(ex);
        }
    }

    private sealed class Batch
    {
        public Dictionary<string, List<BucketContribution>> ByBucket { get; } = new(StringComparer.Ordinal);

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count { get; private set; }

        public void Add(BucketKey key, BucketContribution contribution)
        {
            var name = key.ToString();
            if (!ByBucket.TryGetValue(name, out var list))
            {
                list = [];
                ByBucket[name] = list;
            }

            list.Add(contribution);
            Count++;
        }
    }
}
