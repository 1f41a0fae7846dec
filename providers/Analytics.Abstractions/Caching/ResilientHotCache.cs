using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Analytics.Abstractions.Caching;

/// <summary>
/// Makes any cache harmless: each call is bounded by a timeout, failures open a circuit breaker (then the cache is not
/// asked at all for a while), and every failure, timeout or open breaker is a miss on read and a no-op on write.
/// A cache outage therefore slows nothing down for long and never turns into an error: queries go to the grains.
/// </summary>
public sealed partial class ResilientHotCache : IHotCache, IAsyncDisposable
{
    private readonly IHotCache _inner;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;

    public ResilientHotCache(IHotCache inner, HotCacheOptions options, ILogger<ResilientHotCache> logger, TimeProvider? time = null)
    {
        _inner = inner;
        _logger = logger;
        var builder = new ResiliencePipelineBuilder();
        if (time is not null)
        {
            builder.TimeProvider = time;
        }

        _pipeline = builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakDuration,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException || ex is TimeoutRejectedException),
                OnOpened = args =>
                {
                    LogBreakerOpened(args.BreakDuration, args.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    LogBreakerClosed();
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.OperationTimeout)
            .Build();
    }

    /// <summary>True while the breaker keeps calls away from the cache (for tests and diagnostics).</summary>
    public bool IsOpen { get; private set; }

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var value = await _pipeline.ExecuteAsync(static (state, token) => state.Inner.GetAsync(state.Key, token), (Inner: _inner, Key: key), cancellationToken);
            IsOpen = false;
            return value;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Failed(ex);
            return null;
        }
    }

    public async ValueTask<byte[]?[]> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        try
        {
            var values = await _pipeline.ExecuteAsync(static (state, token) => state.Inner.GetManyAsync(state.Keys, token), (Inner: _inner, Keys: keys), cancellationToken);
            IsOpen = false;
            return values;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Failed(ex);
            return new byte[]?[keys.Count];
        }
    }

    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        try
        {
            await _pipeline.ExecuteAsync(
                static (state, token) => state.Inner.SetAsync(state.Key, state.Value, state.Ttl, token),
                (Inner: _inner, Key: key, Value: value, Ttl: timeToLive),
                cancellationToken);
            IsOpen = false;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Failed(ex);
        }
    }

    /// <summary>
    /// Unlike reads and writes, a failed removal is reported: an erased site's results must not silently stay.
    /// Bounded by the same timeout; they expire after <see cref="HotCacheOptions.ClosedResultTtl"/> in any case.
    /// </summary>
    public async ValueTask RemoveByPrefixAsync(string prefix, CancellationToken cancellationToken = default) =>
        await _pipeline.ExecuteAsync(static (state, token) => state.Inner.RemoveByPrefixAsync(state.Prefix, token), (Inner: _inner, Prefix: prefix), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        switch (_inner)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    private void Failed(Exception ex)
    {
        if (ex is BrokenCircuitException)
        {
            IsOpen = true;
            return;
        }

        LogCacheFailed(ex.GetType().Name, ex.Message);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Hot cache call failed ({Kind}: {Reason}); answering from the grains.")]
    private partial void LogCacheFailed(string kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hot cache unavailable, not asked for {BreakDuration}: {Reason}. Queries are answered by the grains.")]
    private partial void LogBreakerOpened(TimeSpan breakDuration, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hot cache reachable again.")]
    private partial void LogBreakerClosed();
}
