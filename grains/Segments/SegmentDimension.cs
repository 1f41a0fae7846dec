using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Metrics;

namespace Analytics.Grains.Segments;

/// <summary>
/// How one dimension reads in a segment, as codes: an event column, the event's session column (visit:*), or a custom
/// property. Code <see cref="NullCode"/> is a missing value, labelled <see cref="NullLabel"/> ("" for visit values, which
/// breakdowns omit; "(none)" for a property an event does not carry). Everything works a column at a time.
/// </summary>
internal sealed class SegmentDimension
{
    private readonly Segment _segment;
    private readonly DictionaryColumn? _eventColumn;
    private readonly DictionaryColumn? _sessionColumn;
    private readonly int[]? _propCodes;
    private readonly int[]? _remap;

    private SegmentDimension(Segment segment, string[] values, string nullLabel, DictionaryColumn? eventColumn, DictionaryColumn? sessionColumn, int[]? propCodes, int[]? remap)
    {
        _segment = segment;
        Values = values;
        NullLabel = nullLabel;
        _eventColumn = eventColumn;
        _sessionColumn = sessionColumn;
        _propCodes = propCodes;
        _remap = remap;
    }

    public string[] Values { get; }

    public int NullCode => Values.Length;

    /// <summary>Distinct codes, null included: the radix of this dimension in a group key.</summary>
    public int Radix => Values.Length + 1;

    public string NullLabel { get; }

    public bool IsVisit => _sessionColumn is not null;

    public string Label(int code) => code == NullCode ? NullLabel : Values[code];

    public static SegmentDimension Of(Segment segment, string dimension)
    {
        QueryShape.Validate(dimension);
        var events = segment.Events;
        if (dimension.StartsWith(Dimensions.PropsPrefix, StringComparison.Ordinal))
        {
            return new SegmentDimension(segment, segment.Props.PropValues.Values, Dimensions.None, null, null, segment.PropCodes(dimension[Dimensions.PropsPrefix.Length..]), null);
        }

        return dimension switch
        {
            Dimensions.Page => new SegmentDimension(segment, events.Page.Values, string.Empty, events.Page, null, null, null),
            Dimensions.Hostname => new SegmentDimension(segment, events.Hostname.Values, string.Empty, events.Hostname, null, null, null),
            // Goals are custom events: pageviews and engagement events group under no goal.
            _ when QueryShape.IsGoal(dimension) => new SegmentDimension(segment, events.Name.Values, string.Empty, events.Name, null, null,
                [.. events.Name.Values.Select((v, c) => v is EventNames.Pageview or EventNames.Engagement ? events.Name.NullCode : c), events.Name.NullCode]),
            _ => Visit(segment, segment.Sessions.Column(dimension)),
        };
    }

    /// <summary>For filters: the name column as is (event:name is "pageview" matches pageviews).</summary>
    public static SegmentDimension ForFilter(Segment segment, string dimension) =>
        QueryShape.IsGoal(dimension)
            ? new SegmentDimension(segment, segment.Events.Name.Values, string.Empty, segment.Events.Name, null, null, null)
            : Of(segment, dimension);

    /// <summary>Writes the code of each event row in <paramref name="rows"/> (the session's code for a visit dimension).</summary>
    public void EventCodes(ReadOnlySpan<int> rows, Span<int> codes)
    {
        if (_propCodes is not null)
        {
            var props = _propCodes;
            for (var k = 0; k < rows.Length; k++)
            {
                codes[k] = props[rows[k]];
            }

            return;
        }

        if (_sessionColumn is not null)
        {
            var sessionOf = _segment.SessionOfEvent;
            var sessionCodes = _sessionColumn.Codes;
            var nullCode = NullCode;
            for (var k = 0; k < rows.Length; k++)
            {
                var s = sessionOf[rows[k]];
                codes[k] = s >= 0 ? sessionCodes[s] : nullCode;
            }

            return;
        }

        var column = _eventColumn!.Codes;
        if (_remap is { } remap)
        {
            for (var k = 0; k < rows.Length; k++)
            {
                codes[k] = remap[column[rows[k]]];
            }

            return;
        }

        for (var k = 0; k < rows.Length; k++)
        {
            codes[k] = column[rows[k]];
        }
    }

    /// <summary>Writes the code of each session row in <paramref name="rows"/>; visit dimensions only.</summary>
    public void SessionCodes(ReadOnlySpan<int> rows, Span<int> codes)
    {
        var column = _sessionColumn!.Codes;
        for (var k = 0; k < rows.Length; k++)
        {
            codes[k] = column[rows[k]];
        }
    }

    /// <summary>
    /// Per event row, whether its value passes <paramref name="table"/> (indexed by code, null last). Events without a
    /// session never pass a visit dimension's test.
    /// </summary>
    public void EventMask(bool[] table, Span<bool> mask)
    {
        if (_propCodes is not null)
        {
            var props = _propCodes;
            for (var i = 0; i < mask.Length; i++)
            {
                mask[i] = table[props[i]];
            }

            return;
        }

        if (_sessionColumn is not null)
        {
            var sessionOf = _segment.SessionOfEvent;
            var sessionCodes = _sessionColumn.Codes;
            for (var i = 0; i < mask.Length; i++)
            {
                var s = sessionOf[i];
                mask[i] = s >= 0 && table[sessionCodes[s]];
            }

            return;
        }

        var column = _eventColumn!.Codes;
        for (var i = 0; i < mask.Length; i++)
        {
            mask[i] = table[column[i]];
        }
    }

    private static SegmentDimension Visit(Segment segment, DictionaryColumn column) =>
        new(segment, column.Values, string.Empty, null, column, null, null);
}
