using System.Globalization;
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

    /// <summary>
    /// Schema metadata: the earliest and the latest event time (µs), so that a question whose range holds them all reads
    /// no time column (a column's min and max, as Parquet's statistics and ClickHouse's minmax index keep them).
    /// </summary>
    public const string FirstEventMetadata = "first_event_us";
    public const string LastEventMetadata = "last_event_us";

    /// <summary>Revenue is kept as an integer count of millionths of the currency unit.</summary>
    public const decimal RevenueScale = 1_000_000m;

    private readonly DeferredBatch _batch;
    private readonly DeferredColumn<TimestampArray> _timestamps;
    private readonly DeferredColumn<UInt64Array> _visitors;
    private readonly DeferredColumn<UInt64Array> _sessions;
    private readonly DeferredColumn<BooleanArray> _interactive;
    private readonly DeferredColumn<Int64Array> _engagement;
    private readonly DeferredColumn<Int32Array> _scroll;
    private readonly DeferredColumn<Int64Array> _revenue;
    private readonly (long First, long Last)? _timeBounds;

    /// <param name="batch">The table.</param>
    /// <param name="decoded">Strings of its dictionary columns already at hand, by column (the others are decoded).</param>
    /// <param name="buffers">The buffers of a read segment still to fill, filled column by column on first use.</param>
    public EventTable(RecordBatch batch, IReadOnlyDictionary<string, string[]>? decoded = null, DeferredBuffers? buffers = null)
    {
        _batch = new(batch, buffers);
        _timestamps = _batch.Column<TimestampArray>(TimestampColumn);
        Name = _batch.Strings(NameColumn, decoded);
        Page = _batch.Strings(PageColumn, decoded);
        Hostname = _batch.Strings(HostnameColumn, decoded);
        _visitors = _batch.Column<UInt64Array>(VisitorColumn);
        _sessions = _batch.Column<UInt64Array>(SessionColumn);
        _interactive = _batch.Column<BooleanArray>(InteractiveColumn);
        _engagement = _batch.Column<Int64Array>(EngagementColumn);
        _scroll = _batch.Column<Int32Array>(ScrollDepthColumn);
        _revenue = _batch.Column<Int64Array>(RevenueColumn);
        Currency = _batch.Strings(CurrencyColumn, decoded);
        var metadata = batch.Schema.Metadata;
        // Only a shortcut: bounds another tool left out or mangled mean the time column is read, not a failed read.
        if (metadata is not null
            && metadata.TryGetValue(FirstEventMetadata, out var first) && long.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var firstUs)
            && metadata.TryGetValue(LastEventMetadata, out var last) && long.TryParse(last, NumberStyles.Integer, CultureInfo.InvariantCulture, out var lastUs))
        {
            _timeBounds = (firstUs, lastUs);
        }
    }

    /// <summary>The table's schema, its metadata naming the segment and the range of <paramref name="timestamps"/>.</summary>
    public static Schema Schema(SegmentKey key, ReadOnlySpan<long> timestamps)
    {
        List<KeyValuePair<string, string>> metadata = [new(Segment.KeyMetadata, key.ToString())];
        if (!timestamps.IsEmpty)
        {
            var (first, last) = (long.MaxValue, long.MinValue);
            foreach (var t in timestamps)
            {
                first = Math.Min(first, t);
                last = Math.Max(last, t);
            }

            metadata.Add(new(FirstEventMetadata, first.ToString(CultureInfo.InvariantCulture)));
            metadata.Add(new(LastEventMetadata, last.ToString(CultureInfo.InvariantCulture)));
        }

        return new Schema(
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
            metadata);
    }

    /// <summary>The whole table, every buffer filled.</summary>
    public RecordBatch Batch => _batch.Whole;

    public int Count => _batch.Length;

    public ReadOnlySpan<long> Timestamps => _timestamps.Array.Values;

    /// <summary>
    /// Whether every event lies in [<paramref name="from"/>, <paramref name="to"/>) (µs), told by the schema's bounds
    /// without reading the time column; false when a segment written before them has none.
    /// </summary>
    public bool AllWithin(long from, long to) => Count == 0 || (_timeBounds is var (first, last) && first >= from && last < to);

    public DictionaryColumn Name { get; }

    public DictionaryColumn Page { get; }

    public DictionaryColumn Hostname { get; }

    public ReadOnlySpan<ulong> Visitors => _visitors.Array.Values;

    public ReadOnlySpan<ulong> Sessions => _sessions.Array.Values;

    /// <summary>The visitor ids for one read, left compressed: the segment's visitor index is what scans read.</summary>
    public ColumnValues<ulong> ReadVisitors() => _visitors.ReadOnce<ulong>();

    /// <summary>The session ids for one read, left compressed: the segment's session index is what scans read (a funnel reads <see cref="Sessions"/>).</summary>
    public ColumnValues<ulong> ReadSessions() => _sessions.ReadOnce<ulong>();

    public BooleanArray Interactive => _interactive.Array;

    public ReadOnlySpan<long> EngagementMs => _engagement.Array.Values;

    public Int32Array ScrollDepth => _scroll.Array;

    public Int64Array Revenue => _revenue.Array;

    public DictionaryColumn Currency { get; }
}
