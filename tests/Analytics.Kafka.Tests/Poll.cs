using System.Diagnostics;

namespace Analytics.Kafka.Tests;

/// <summary>Waits for a condition by polling against a deadline, never by a fixed sleep.</summary>
public static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        var last = await probe();
        while (!done(last))
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}; last value: {Describe(last)}");
            }
            await Task.Delay(100);
            last = await probe();
        }
        return last;
    }

    private static string Describe<T>(T value) => value switch
    {
        System.Collections.IEnumerable items and not string => "[" + string.Join(", ", items.Cast<object>()) + "]",
        _ => value?.ToString() ?? "null",
    };
}
