using Analytics.Cql;

namespace Analytics.Cassandra.Tests.Protocol;

public sealed class TimestampGeneratorTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, 123, 456, TimeSpan.Zero);

    [Fact]
    public void A_timestamp_is_the_clock_in_microseconds_since_the_unix_epoch()
    {
        var clock = new SettableClock(Now);

        Assert.Equal(Now.ToUnixTimeMilliseconds() * 1000 + 456, new CqlTimestampGenerator(clock).Next());
    }

    [Fact]
    public void Timestamps_keep_increasing_while_the_clock_stands_still_or_goes_back()
    {
        var clock = new SettableClock(Now);
        var generator = new CqlTimestampGenerator(clock);
        var first = generator.Next();

        Assert.Equal(first + 1, generator.Next());
        clock.Time = Now.AddSeconds(-5);
        Assert.Equal(first + 2, generator.Next());
        clock.Time = Now.AddSeconds(1);
        Assert.Equal(first + 1_000_000, generator.Next());
    }

    [Fact]
    public void Threads_drawing_at_once_never_get_the_same_timestamp()
    {
        var generator = new CqlTimestampGenerator(new SettableClock(Now));
        var drawn = new long[8][];

        Parallel.For(0, drawn.Length, t => drawn[t] = Enumerable.Range(0, 10_000).Select(_ => generator.Next()).ToArray());

        var all = drawn.SelectMany(d => d).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.All(drawn, d => Assert.True(d.Zip(d.Skip(1)).All(p => p.First < p.Second)));
    }

    private sealed class SettableClock(DateTimeOffset time) : TimeProvider
    {
        public DateTimeOffset Time { get; set; } = time;

        public override DateTimeOffset GetUtcNow() => Time;
    }
}
