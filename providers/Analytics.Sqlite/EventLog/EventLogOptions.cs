using System.ComponentModel.DataAnnotations;

namespace Analytics.Sqlite.EventLog;

public sealed class EventLogOptions
{
    public const string SectionName = "Analytics:EventLog";

    /// <summary>Independent ordered lanes (like Kafka partitions): a visitor's events stay in one lane, lanes run in parallel.</summary>
    [Range(1, 256)]
    public int Lanes { get; set; } = 8;

    /// <summary>Appends gathered into one transaction (group commit).</summary>
    [Range(1, 100_000)]
    public int MaxAppendBatch { get; set; } = 2_000;
}
