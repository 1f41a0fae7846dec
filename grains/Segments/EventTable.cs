using Analytics.GrainInterfaces.Segments;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Analytics.Grains.Segments;

/// <summary>The events of a segment as one Arrow record batch (table "events"), with typed views for the scanner.</summary>
internal sealed class EventTable
{
    public const string TimestampColumn = "timestamp";
    public const string NameColumn = "name";
    public const string PageColumn = "page";
    public const string HostnameColumn = "hostname";
    public const string VisitorColumn = "visitor";
    public const string SessionColumn = "session";
    public const string InteractiveColumn = "interactive";
    public const string EngagementColumn = "engagement_ms";
    public const string ScrollDepthColumn = "scroll_depth";
    public const string RevenueColumn = "revenue_micros";
    public const string CurrencyColumn = "revenue_currency";

    /// <summary>Revenue is kept as an integer count of millionths of the currency unit.</summary>
    public const decimal RevenueScale = 1_000_000m;

    private readonly TimestampArray _timestamps;
    private readonly UInt64Array _visitors;
    private readonly UInt64Array _sessions;
    private readonly BooleanArray _interactive;
    private readonly Int64Array _engagement;
    private readonly Int32Array _scroll;
    private readonly Int64Array _revenue;

    /// <param name="batch">The table.</param>
    /// <param name="decoded">Strings of its dictionary columns already at hand, by column (the others are decoded).</param>
    public EventTable(RecordBatch batch, IReadOnlyDictionary<string, string[]>? decoded = null)
    {
        Batch = batch;
        _timestamps = (TimestampArray)batch.Column(TimestampColumn);
        Name = DictionaryColumn.Of(batch, NameColumn, decoded);
        Page = DictionaryColumn.Of(batch, PageColumn, decoded);
        Hostname = DictionaryColumn.Of(batch, HostnameColumn, decoded);
        _visitors = (UInt64Array)batch.Column(VisitorColumn);
        _sessions = (UInt64Array)batch.Column(SessionColumn);
        _interactive = (BooleanArray)batch.Column(InteractiveColumn);
        _engagement = (Int64Array)batch.Column(EngagementColumn);
        _scroll = (Int32Array)batch.Column(ScrollDepthColumn);
        _revenue = (Int64Array)batch.Column(RevenueColumn);
        Currency = DictionaryColumn.Of(batch, CurrencyColumn, decoded);
    }

    public static Schema Schema(SegmentKey key) => new(
        [
            ArrowColumns.Field(TimestampColumn, ArrowColumns.Timestamp),
            ArrowColumns.Field(NameColumn, ArrowColumns.DictionaryString),
            ArrowColumns.Field(PageColumn, ArrowColumns.DictionaryString),
            ArrowColumns.Field(HostnameColumn, ArrowColumns.DictionaryString),
            ArrowColumns.Field(VisitorColumn, UInt64Type.Default),
            ArrowColumns.Field(SessionColumn, UInt64Type.Default),
            ArrowColumns.Field(InteractiveColumn, BooleanType.Default),
            ArrowColumns.Field(EngagementColumn, Int64Type.Default),
            ArrowColumns.Field(ScrollDepthColumn, Int32Type.Default, nullable: true),
            ArrowColumns.Field(RevenueColumn, Int64Type.Default, nullable: true),
            ArrowColumns.Field(CurrencyColumn, ArrowColumns.DictionaryString, nullable: true),
        ],
        [new(Segment.KeyMetadata, key.ToString())]);

    public RecordBatch Batch { get; }

    public int Count => Batch.Length;

    public ReadOnlySpan<long> Timestamps => _timestamps.Values;

    public DictionaryColumn Name { get; }

    public DictionaryColumn Page { get; }

    public DictionaryColumn Hostname { get; }

    public ReadOnlySpan<ulong> Visitors => _visitors.Values;

    public ReadOnlySpan<ulong> Sessions => _sessions.Values;

    public BooleanArray Interactive => _interactive;

    public ReadOnlySpan<long> EngagementMs => _engagement.Values;

    public Int32Array ScrollDepth => _scroll;

    public Int64Array Revenue => _revenue;

    public DictionaryColumn Currency { get; }
}
