using System.ComponentModel.DataAnnotations;

namespace Analytics.Sqlite.EventLog;

/// <summary>
/// Retention of raw events in the embedded profile. Same section and key (<c>Analytics:RawEventLog:Ttl</c>) as the
/// cluster's Cassandra raw log, so one setting means "raw events are kept this long" in both profiles.
/// </summary>
public sealed class RawEventRetentionOptions : IValidatableObject
{
    public const string SectionName = "Analytics:RawEventLog";

    /// <summary>Delivered events received longer ago than this are purged from events.db. Null (default): kept for ever.</summary>
    public TimeSpan? Ttl { get; set; }

    /// <summary>How often the purge runs.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows per delete: each batch holds the log's lock only briefly, so ingestion is never stalled for long.</summary>
    [Range(1, 100_000)]
    public int PurgeBatchSize { get; set; } = 1_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Ttl is { } ttl && ttl < TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult("Ttl must be at least one second.", [nameof(Ttl)]);
        }

        if (PurgeInterval < TimeSpan.FromMilliseconds(10))
        {
            yield return new ValidationResult("PurgeInterval must be at least 10 ms.", [nameof(PurgeInterval)]);
        }
    }
}
