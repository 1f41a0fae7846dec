namespace Analytics.Testing;

/// <summary>A clock the test sets; timers (Polly's breaker) still run on real time.</summary>
public sealed class ManualTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
