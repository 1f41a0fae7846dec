using Analytics.Bench.Infra;

namespace Analytics.Bench.Tests;

/// <summary>The wait for a quiet machine before a cold measurement (<see cref="MachineQuiet"/>).</summary>
public sealed class MachineQuietTests
{
    [Fact]
    public async Task It_waits_out_the_busy_samples_and_returns_at_the_first_quiet_one()
    {
        // Two busy half seconds (each 1 CPU second more, i.e. 2 cores), then nothing more.
        var calls = 0;
        double Busy() => Math.Min(calls++, 2);

        var (waited, busy) = await MachineQuiet.WaitAsync(0.2, TimeSpan.FromSeconds(30), Busy);

        Assert.Equal(0, busy);
        Assert.Equal(4, calls);
        Assert.InRange(waited, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_machine_that_stays_busy_is_measured_anyway_after_the_deadline()
    {
        var seconds = 0.0;
        double Busy() => seconds += 2;

        var (waited, busy) = await MachineQuiet.WaitAsync(0.2, TimeSpan.FromSeconds(1), Busy);

        Assert.True(busy > 0.2);
        Assert.InRange(waited, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));
    }
}
