namespace Analytics.Tests.Grid;

/// <summary>Makes the next checkpoint writes of the grid's lanes fail, as if the lane died after its segment appends.</summary>
public sealed class LaneCheckpointFaults
{
    private int _toFail;
    private int _failed;

    public int Failed => Volatile.Read(ref _failed);

    public void FailNextWrites(int count) => Volatile.Write(ref _toFail, count);

    /// <summary>Throws when a failure is armed (each armed failure fires once).</summary>
    public void OnWrite(string lane)
    {
        if (Interlocked.Decrement(ref _toFail) >= 0)
        {
            Interlocked.Increment(ref _failed);
            throw new IOException($"Lane {lane} died between its segment appends and its checkpoint (injected).");
        }

        Interlocked.Exchange(ref _toFail, 0);
    }
}
