namespace Analytics.Cassandra.Tests.Support;

/// <summary>Polls a condition until it holds or a deadline passes; tests never sleep to synchronize.</summary>
public static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> attempt, TimeSpan deadline, string what)
    {
        var until = DateTime.UtcNow + deadline;
        Exception? last = null;
        while (DateTime.UtcNow < until)
        {
            try
            {
                return await attempt();
            }
            catch (Exception e)
            {
                last = e;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{what} did not succeed within {deadline}: {last?.Message}", last);
    }
}
