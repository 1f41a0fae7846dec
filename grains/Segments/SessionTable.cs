using Analytics.GrainInterfaces.Metrics;
using Analytics.GrainInterfaces.Segments;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Analytics.Grains.Segments;

/// <summary>The session snapshots of a segment as one Arrow record batch (table "sessions"), one row per session id.</summary>
internal sealed class SessionTable
{
    public const string SessionIdColumn = "session_id";
    public const string VisitorColumn = "visitor";
    public const string StartColumn = "start";
    public const string EndColumn = "end";
    public const string VersionColumn = "version";
    public const string PageviewsColumn = "pageviews";
    public const string EventsColumn = "events";
    public const string BounceColumn = "bounce";

    /// <summary>The string columns: Arrow name, the visit dimension reading it, whether it may be null, and its value.</summary>
    public static readonly IReadOnlyList<(string Column, string Dimension, bool Nullable, Func<SessionRow, string?> Value)> StringColumns =
    [
        ("entry_page", Dimensions.EntryPage, false, s => s.EntryPage),
        ("exit_page", Dimensions.ExitPage, false, s => s.ExitPage),
        ("hostname", Dimensions.EntryPageHostname, false, s => s.Hostname),
        ("source", Dimensions.Source, false, s => s.Source),
        ("referrer", Dimensions.Referrer, true, s => s.Referrer),
        ("channel", Dimensions.Channel, false, s => s.Channel),
        ("utm_source", Dimensions.UtmSource, true, s => s.UtmSource),
        ("utm_medium", Dimensions.UtmMedium, true, s => s.UtmMedium),
        ("utm_campaign", Dimensions.UtmCampaign, true, s => s.UtmCampaign),
        ("utm_content", Dimensions.UtmContent, true, s => s.UtmContent),
        ("utm_term", Dimensions.UtmTerm, true, s => s.UtmTerm),
        ("device", Dimensions.Device, false, s => s.Device),
        ("browser", Dimensions.Browser, false, s => s.Browser),
        ("browser_version", Dimensions.BrowserVersion, false, s => s.BrowserVersion),
        ("os", Dimensions.Os, false, s => s.Os),
        ("os_version", Dimensions.OsVersion, false, s => s.OsVersion),
        ("country", Dimensions.Country, false, s => s.Country),
        ("region", Dimensions.Region, true, s => s.Region),
        ("city", Dimensions.City, true, s => s.City),
        ("screen", Dimensions.Screen, true, s => s.Screen),
    ];

    private readonly DeferredBatch _batch;
    private readonly DeferredColumn<UInt64Array> _ids;
    private readonly DeferredColumn<UInt64Array> _visitors;
    private readonly DeferredColumn<TimestampArray> _start;
    private readonly DeferredColumn<TimestampArray> _end;
    private readonly DeferredColumn<Int32Array> _version;
    private readonly DeferredColumn<Int32Array> _pageviews;
    private readonly DeferredColumn<Int32Array> _events;
    private readonly DeferredColumn<BooleanArray> _bounce;
    private readonly Dictionary<string, DictionaryColumn> _byDimension = new(StringComparer.Ordinal);

    /// <param name="batch">The table.</param>
    /// <param name="decoded">Strings of its dictionary columns already at hand, by column (the others are decoded).</param>
    /// <param name="buffers">The buffers of a read segment still to fill, filled column by column on first use.</param>
    public SessionTable(RecordBatch batch, IReadOnlyDictionary<string, string[]>? decoded = null, DeferredBuffers? buffers = null)
    {
        _batch = new(batch, buffers);
        _ids = _batch.Column<UInt64Array>(SessionIdColumn);
        _visitors = _batch.Column<UInt64Array>(VisitorColumn);
        _start = _batch.Column<TimestampArray>(StartColumn);
        _end = _batch.Column<TimestampArray>(EndColumn);
        _version = _batch.Column<Int32Array>(VersionColumn);
        _pageviews = _batch.Column<Int32Array>(PageviewsColumn);
        _events = _batch.Column<Int32Array>(EventsColumn);
        _bounce = _batch.Column<BooleanArray>(BounceColumn);
        foreach (var (column, dimension, _, _) in StringColumns)
        {
            _byDimension[dimension] = _batch.Strings(column, decoded);
        }
    }

    public static readonly Schema Schema = new(
        [
            ArrowColumns.Field(SessionIdColumn, UInt64Type.Default),
            ArrowColumns.Field(VisitorColumn, UInt64Type.Default),
            ArrowColumns.Field(StartColumn, ArrowColumns.Timestamp),
            ArrowColumns.Field(EndColumn, ArrowColumns.Timestamp),
            ArrowColumns.Field(VersionColumn, Int32Type.Default),
            ArrowColumns.Field(PageviewsColumn, Int32Type.Default),
            ArrowColumns.Field(EventsColumn, Int32Type.Default),
            ArrowColumns.Field(BounceColumn, BooleanType.Default),
            .. StringColumns.Select(c => ArrowColumns.Field(c.Column, ArrowColumns.DictionaryString, c.Nullable)),
        ],
        null);

    /// <summary>The whole table, every buffer filled.</summary>
    public RecordBatch Batch => _batch.Whole;

    public int Count => _batch.Length;

    public ReadOnlySpan<ulong> Ids => _ids.Array.Values;

    /// <summary>The session ids for one read, left compressed: read to index the events' sessions, then not again.</summary>
    public ColumnValues<ulong> ReadIds() => _ids.ReadOnce<ulong>();

    public ReadOnlySpan<ulong> Visitors => _visitors.Array.Values;

    public ReadOnlySpan<int> Versions => _version.Array.Values;

    public ReadOnlySpan<int> Events => _events.Array.Values;

    public ReadOnlySpan<long> Start => _start.Array.Values;

    public ReadOnlySpan<long> End => _end.Array.Values;

    public ReadOnlySpan<int> Pageviews => _pageviews.Array.Values;

    public BooleanArray Bounce => _bounce.Array;

    /// <summary>Bit s of the bounce column (LSB first, as Arrow packs booleans; the column has no nulls and no offset).</summary>
    public ReadOnlySpan<byte> BounceBits => Bounce is { Offset: 0 } bounce ? bounce.ValueBuffer.Span : throw new InvalidOperationException("A sliced bounce column.");

    public static bool IsVisitDimension(string dimension) => StringColumns.Any(c => c.Dimension == dimension);

    /// <summary>The column a visit dimension reads.</summary>
    public DictionaryColumn Column(string dimension) => _byDimension[dimension];
}
