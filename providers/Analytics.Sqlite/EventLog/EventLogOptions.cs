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

    /// <summary>
    /// Latest rows of each lane kept in memory after their commit, which the lane's reader takes without reading the file
    /// back or decoding their envelopes while it keeps up; one further behind reads the file. 0 reads every row from the file.
    /// </summary>
    [Range(0, 1_000_000)]
    public int TailRows { get; set; } = 4_096;

    /// <summary>
    /// Rows a lane behind its tail keeps of the file reads made for other lanes (every lane's rows come in one read), so
    /// that lanes catching up together read the file once; at least a stream batch (2,000 by default).
    /// </summary>
    [Range(1, 1_000_000)]
    public int BacklogRows { get; set; } = 4_096;

    /// <summary>
    /// Page cache of the lanes' reading connection, in KiB. Lanes behind their tails read every lane's rows in turn, from
    /// nearby places of the file: with SQLite's default (2,000 KiB) a backlog's drain read each page 3.5 times over. It
    /// serves a backlog nobody writes meanwhile: SQLite empties it when a read follows another connection's commit (under
    /// live load, lanes that keep up take their rows from memory instead). Native memory, beside the 1 GiB budget of a
    /// million visitors: 32 MiB took that run's peak to 1,014 MiB.
    /// </summary>
    [Range(0, 4 * 1024 * 1024)]
    public int ReadCacheKiB { get; set; } = 8 * 1024;

    /// <summary>
    /// Sequence numbers after which the event log closes its receipt span (<see cref="ReceiptSpans"/>), or after 30
    /// seconds, whichever comes first, at the next commit: a read by receipt time (the retention purge, an export) scans
    /// about this many rows too many at each end of its range, and the log writes a span row per this many rows.
    /// </summary>
    [Range(1, 10_000_000)]
    public int ReceiptSpanRows { get; set; } = 65_536;
}
