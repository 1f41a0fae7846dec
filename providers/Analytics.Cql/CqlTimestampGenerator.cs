namespace Analytics.Cql;

/// <summary>
/// Write timestamps (microseconds since the Unix epoch) chosen by the client, as protocol v3 allows: each one later than
/// the one before, even within one microsecond. Cassandra resolves two writes of a cell by their timestamps, and a tie by
/// the larger value; 2.1 timestamps a request by the millisecond, ordered only within one connection's stream, so two
/// writes of one cell in the same millisecond on different streams could keep the earlier value.
/// </summary>
public sealed class CqlTimestampGenerator(TimeProvider time)
{
    /// <summary>One for the process, so every session's writes are ordered as they were made.</summary>
    public static CqlTimestampGenerator Shared { get; } = new(TimeProvider.System);

    private long _last;

    public long Next()
    {
        var now = (time.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks) / (TimeSpan.TicksPerMillisecond / 1000);
        while (true)
        {
            var last = Volatile.Read(ref _last);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return next;
            }
        }
    }
}
