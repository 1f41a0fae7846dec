namespace Analytics.Sqlite.EventLog;

/// <summary>
/// Where some of the log's rows lie: between <see cref="First"/> and <see cref="Last"/> by sequence, each received
/// within [<see cref="MinReceived"/>, <see cref="MaxReceived"/>] (ticks). The writer's spans hold its commits one after
/// another; spans rebuilt at start group rows by receipt time, so their sequence ranges may interleave.
/// </summary>
internal readonly record struct ReceiptSpan(long First, long Last, long MinReceived, long MaxReceived)
{
    public bool IsEmpty => Last < First;

    public static ReceiptSpan Empty { get; } = new(0, -1, long.MaxValue, long.MinValue);

    /// <summary>This span with a row added.</summary>
    public ReceiptSpan With(long seq, long received) => Merge(new(seq, seq, received, received));

    /// <summary>The smallest span holding both.</summary>
    public ReceiptSpan Merge(ReceiptSpan other) => IsEmpty ? other : other.IsEmpty ? this : new(
        Math.Min(First, other.First), Math.Max(Last, other.Last),
        Math.Min(MinReceived, other.MinReceived), Math.Max(MaxReceived, other.MaxReceived));

    /// <summary>Whether a row received in [<paramref name="fromTicks"/>, <paramref name="toTicks"/>) may be in it.</summary>
    public bool Overlaps(long fromTicks, long toTicks) => !IsEmpty && MinReceived < toTicks && MaxReceived >= fromTicks;
}
