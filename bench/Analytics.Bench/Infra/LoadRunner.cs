using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Analytics.Bench.Traffic;
using HdrHistogram;

namespace Analytics.Bench.Infra;

public sealed record LoadResult(long Accepted, long Failed, TimeSpan Elapsed, LongConcurrentHistogram LatencyMicros)
{
    public double PerSecond => Accepted / Elapsed.TotalSeconds;
    public double P50Ms => LatencyMicros.GetValueAtPercentile(50) / 1000.0;
    public double P99Ms => LatencyMicros.GetValueAtPercentile(99) / 1000.0;
}

/// <summary>
/// HTTP/1.1 keep-alive beacon load against one loopback endpoint; every loop is bounded in time. Each sender takes an
/// idle connection from the pool (or opens one), so there are as many connections as senders at once.
/// </summary>
public sealed class LoadRunner(Uri baseAddress) : IDisposable
{
    private readonly Uri _target = new(baseAddress, "api/event");
    private readonly ConcurrentBag<BeaconConnection> _idle = [];
    private volatile bool _disposed;

    public sealed record PreparedBeacon(byte[] Body, string UserAgent, string Ip);

    public static PreparedBeacon[] Prepare(IEnumerable<SyntheticBeacon> beacons, int count) =>
        [.. beacons.Take(count).Select(b => new PreparedBeacon(Encoding.UTF8.GetBytes(b.ToCompactJson()), b.UserAgent, b.ClientIp))];

    /// <summary>True when the beacon was answered 202; a failure to connect or to be answered is an <see cref="HttpRequestException"/>.</summary>
    public async Task<bool> SendAsync(PreparedBeacon beacon)
    {
        while (_idle.TryTake(out var idle))
        {
            if (!idle.IdleAndOpen)
            {
                idle.Dispose();
                continue;
            }

            try
            {
                return await PostAsync(idle, beacon);
            }
            catch (HttpRequestException) when (idle.FailedUnanswered)
            {
                // Closed by the server as the request went out: nothing was answered, so it goes again on a new connection, as HttpClient does.
                break;
            }
        }

        return await PostAsync(await BeaconConnection.OpenAsync(_target), beacon);
    }

    private async Task<bool> PostAsync(BeaconConnection connection, PreparedBeacon beacon)
    {
        var reuse = false;
        try
        {
            var status = await connection.PostAsync(beacon);
            reuse = connection.Reusable;
            return status == HttpStatusCode.Accepted;
        }
        finally
        {
            if (reuse && !_disposed)
            {
                _idle.Add(connection);
            }
            else
            {
                connection.Dispose();
            }
        }
    }

    /// <summary>A closed loop for <paramref name="span"/> that records nothing: tiered JIT, dynamic PGO and the servers' caches settle before a measurement.</summary>
    public Task WarmUpAsync(PreparedBeacon[] beacons, int workers, TimeSpan span) => ClosedLoopAsync(beacons, workers, span, TimeSpan.Zero);

    /// <summary>Closed loop: <paramref name="workers"/> senders, each waiting for its answer before the next beacon.</summary>
    public async Task<LoadResult> ClosedLoopAsync(PreparedBeacon[] beacons, int workers, TimeSpan warmup, TimeSpan duration)
    {
        var next = -1L;
        long accepted = 0, failed = 0;
        await RunAsync(warmup, record: null);
        var histogram = new LongConcurrentHistogram(1, 60_000_000, 3);
        var sw = Stopwatch.StartNew();
        await RunAsync(duration, histogram);
        return new LoadResult(accepted, failed, sw.Elapsed, histogram);

        async Task RunAsync(TimeSpan span, LongConcurrentHistogram? record)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(span.TotalSeconds * Stopwatch.Frequency);
            await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
            {
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    var beacon = beacons[(int)(Interlocked.Increment(ref next) % beacons.Length)];
                    var start = Stopwatch.GetTimestamp();
                    bool ok;
                    try
                    {
                        ok = await SendAsync(beacon);
                    }
                    catch (HttpRequestException)
                    {
                        ok = false;
                    }

                    if (record is null)
                    {
                        continue;
                    }

                    record.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds));
                    if (ok)
                    {
                        Interlocked.Increment(ref accepted);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
            })));
        }
    }

    /// <summary>Open loop at a fixed rate for a bounded time (senders start on schedule, not when the last answered).</summary>
    public async Task<LoadResult> FixedRateAsync(PreparedBeacon[] beacons, double perSecond, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        const int workers = 64;
        var histogram = new LongConcurrentHistogram(1, 60_000_000, 3);
        long accepted = 0, failed = 0;
        var start = Stopwatch.GetTimestamp();
        var total = (long)(perSecond * duration.TotalSeconds);
        var next = -1L;
        // A server slower than the rate leaves the schedule behind; stop sending at 1.5x the duration regardless.
        var hardStop = start + (long)(duration.TotalSeconds * 1.5 * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (!cancellationToken.IsCancellationRequested && Stopwatch.GetTimestamp() < hardStop)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= total)
                {
                    return;
                }

                var due = start + (long)(i / perSecond * Stopwatch.Frequency);
                var wait = due - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellationToken).ConfigureAwait(false);
                }

                var t0 = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await SendAsync(beacons[(int)(i % beacons.Length)]);
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }

                histogram.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(t0).TotalMicroseconds));
                Interlocked.Increment(ref ok ? ref accepted : ref failed);
            }
        }, cancellationToken)));
        return new LoadResult(accepted, failed, Stopwatch.GetElapsedTime(start), histogram);
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }
}
