using Analytics.Gateway.Abuse;
using Analytics.Testing;

namespace Analytics.Tests.Abuse;

public sealed class FixedWindowCounterTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    [Fact]
    public void A_key_gets_its_limit_per_window_others_keep_theirs_and_the_next_window_starts_afresh()
    {
        var clock = new SteppedClock();
        var counter = new FixedWindowCounter<string>(3, Window, clock);
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(counter.TryAcquire("a"));
        }

        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(TimeSpan.FromSeconds(40), counter.TryAcquire("a"));
        Assert.Equal(TimeSpan.FromSeconds(40), counter.TryAcquire("a"));
        Assert.Null(counter.TryAcquire("b"));

        clock.Advance(TimeSpan.FromSeconds(40));
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(counter.TryAcquire("a"));
        }

        Assert.Equal(Window, counter.TryAcquire("a"));
    }

    [Fact]
    public void Concurrent_requests_of_one_key_never_get_more_than_the_limit()
    {
        var counter = new FixedWindowCounter<int>(1_000, Window, new SteppedClock());
        var granted = 0;
        Parallel.For(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            if (counter.TryAcquire(7) is null)
            {
                Interlocked.Increment(ref granted);
            }
        });

        Assert.Equal(1_000, granted);
    }
}
