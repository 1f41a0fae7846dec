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

    public EventTable(RecordBatch batch)
    {
        Batch = batch;
        _timestamps = (TimestampArray)batch.Column(TimestampColumn);
        Name = new DictionaryColumn(batch.Column(NameColumn));
        Page = new DictionaryColumn(batch.Column(PageColumn));
        Hostname = new DictionaryColumn(batch.Column(HostnameColumn));
        _visitors = (UInt64Array)batch.Column(VisitorColumn);
        _sessions = (UInt64Array)batch.Column(SessionColumn);
        _interactive = (BooleanArray)batch.Column(InteractiveColumn);
        _engagement = (Int64Array)batch.Column(EngagementColumn);
        _scroll = (Int32Array)batch.Column(ScrollDepthColumn);
        _revenue = (Int64Array)batch.Column(RevenueColumn);
        Currency = new DictionaryColumn(batch.Column(CurrencyColumn));
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

    public ReadOnlySpan<long> EngagementMs => _engagement.Values;

    public Int32Array ScrollDepth => _scroll;

    public Int64Array Revenue => _revenue;

    public DictionaryColumn Currency { get; }

    public static EventTable From(SegmentKey key, IReadOnlyList<EventRow> rows)
    {
        var n = rows.Count;
        var timestamps = new long[n];
        var visitors = new ulong[n];
        var sessions = new ulong[n];
        var interactive = new bool[n];
        var engagement = new long[n];
        var scroll = new int[n];
        var hasScroll = new bool[n];
        var revenue = new long[n];
        var hasRevenue = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var row = rows[i];
            timestamps[i] = ArrowColumns.ToMicros(row.Timestamp);
            visitors[i] = row.Visitor;
            sessions[i] = row.Session;
            interactive[i] = row.Interactive;
            engagement[i] = row.EngagementMs;
            (scroll[i], hasScroll[i]) = row.ScrollDepth is { } depth ? (depth, true) : (0, false);
            (revenue[i], hasRevenue[i]) = row.RevenueAmount is { } amount ? ((long)decimal.Round(amount * RevenueScale), true) : (0, false);
        }

        var batch = new RecordBatch(
            Schema(key),
            [
                ArrowColumns.Timestamps(timestamps),
                ArrowColumns.Strings([.. rows.Select(r => r.Name)]),
                ArrowColumns.Strings([.. rows.Select(r => r.Pathname)]),
                ArrowColumns.Strings([.. rows.Select(r => r.Hostname)]),
                ArrowColumns.UInt64(visitors),
                ArrowColumns.UInt64(sessions),
                ArrowColumns.Booleans(interactive),
                ArrowColumns.Int64(engagement),
                ArrowColumns.Int32(scroll, hasScroll),
                ArrowColumns.Int64(revenue, hasRevenue),
                ArrowColumns.Strings([.. rows.Select(r => r.RevenueCurrency)]),
            ],
            n);
        return new EventTable(batch);
    }

    public EventRow Row(int i, IReadOnlyDictionary<string, string>? props) => new()
    {
        Timestamp = ArrowColumns.FromMicros(Timestamps[i]),
        Name = Name[i]!,
        Pathname = Page[i]!,
        Hostname = Hostname[i]!,
        Visitor = Visitors[i],
        Session = Sessions[i],
        Interactive = _interactive.GetValue(i) ?? true,
        EngagementMs = EngagementMs[i],
        ScrollDepth = _scroll.GetValue(i),
        Props = props,
        RevenueAmount = _revenue.GetValue(i) is { } micros ? micros / RevenueScale : null,
        RevenueCurrency = Currency[i],
    };
}
