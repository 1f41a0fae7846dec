using Analytics.GrainInterfaces.Sites;

namespace Analytics.Grains.Sites;

/// <summary>Sixty one-minute buckets of drop counts by reason; a bucket older than an hour is reused for the current minute.</summary>
public sealed class SiteDropsGrain(TimeProvider time) : Grain, ISiteDropsGrain
{
    private const int Minutes = 60;

    private readonly Dictionary<string, long>[] _buckets = [.. Enumerable.Range(0, Minutes).Select(_ => new Dictionary<string, long>(StringComparer.Ordinal))];
    private readonly long[] _bucketMinute = new long[Minutes];

    public Task AddAsync(IReadOnlyDictionary<string, long> counts)
    {
        var bucket = Current();
        foreach (var (reason, count) in counts)
        {
            bucket[reason] = bucket.GetValueOrDefault(reason) + count;
        }

        return Task.CompletedTask;
    }

    public Task ClearAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, long>> GetLastHourAsync()
    {
        var now = Minute();
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < Minutes; i++)
        {
            if (now - _bucketMinute[i] < Minutes)
            {
                foreach (var (reason, count) in _buckets[i])
                {
                    totals[reason] = totals.GetValueOrDefault(reason) + count;
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, long>>(totals);
    }

    private Dictionary<string, long> Current()
    {
        var minute = Minute();
        var slot = (int)(minute % Minutes);
        if (_bucketMinute[slot] != minute)
        {
            _bucketMinute[slot] = minute;
            _buckets[slot].Clear();
        }

        return _buckets[slot];
    }

    private long Minute() => time.GetUtcNow().ToUnixTimeSeconds() / 60;
}
