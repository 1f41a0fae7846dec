using System.Text.Json;
using Analytics.GrainInterfaces.Segments;
using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace Analytics.Grains.Segments;

/// <summary>
/// A segment's events in a range as one flat export table (<see cref="SegmentExportSchema"/>): plain strings, no
/// dictionaries, so record batches of different segments share one schema and one stream. What
/// GET /api/sites/{domain}/export/segments.arrow|parquet streams, one record batch per day.
/// </summary>
public static class SegmentExport
{
    /// <summary>The rows of <paramref name="segment"/> whose event time is in [from, to), as an Arrow IPC stream; null when none.</summary>
    public static byte[]? Write(Segment segment, DateTime fromUtc, DateTime toUtc)
    {
        var events = segment.Events;
        var from = ArrowColumns.ToMicros(fromUtc);
        var to = ArrowColumns.ToMicros(toUtc);
        var timestamps = events.Timestamps;
        var rows = new List<int>();
        for (var i = 0; i < events.Count; i++)
        {
            if (timestamps[i] >= from && timestamps[i] < to)
            {
                rows.Add(i);
            }
        }

        if (rows.Count == 0)
        {
            return null;
        }

        var props = segment.Props.ByEvent(segment.EventCount);
        var sessionOf = segment.SessionOfEvent;
        var time = new TimestampArray.Builder(SegmentExportSchema.Timestamp);
        var names = new StringArray.Builder();
        var pages = new StringArray.Builder();
        var hostnames = new StringArray.Builder();
        var visitors = new UInt64Array.Builder();
        var sessions = new UInt64Array.Builder();
        var engagement = new Int64Array.Builder();
        var scroll = new Int32Array.Builder();
        var revenue = new Int64Array.Builder();
        var currency = new StringArray.Builder();
        var propsJson = new StringArray.Builder();
        var sessionBuilders = SegmentExportSchema.SessionColumns.Select(_ => new StringArray.Builder()).ToArray();
        var sessionColumns = SegmentExportSchema.SessionColumns.Select(c => segment.Sessions.Column(c.Dimension)).ToArray();
        // Read for the export only: kept filled, they would stay in memory as long as the segment.
        using var visitorIds = events.ReadVisitors();
        using var sessionIds = events.ReadSessions();
        foreach (var i in rows)
        {
            time.Append(ArrowColumns.FromMicros(timestamps[i]));
            names.Append(events.Name[i]);
            pages.Append(events.Page[i]);
            hostnames.Append(events.Hostname[i]);
            visitors.Append(visitorIds.Span[i]);
            sessions.Append(sessionIds.Span[i]);
            engagement.Append(events.EngagementMs[i]);
            scroll.Append(events.ScrollDepth.GetValue(i));
            revenue.Append(events.Revenue.GetValue(i));
            currency.Append(events.Currency[i]);
            propsJson.Append(props[i] is { } p ? JsonSerializer.Serialize(p) : null);
            var s = sessionOf[i];
            for (var c = 0; c < sessionColumns.Length; c++)
            {
                sessionBuilders[c].Append(s >= 0 ? sessionColumns[c][s] : null);
            }
        }

        var managed = ManagedArrowAllocator.Instance;
        var batch = new RecordBatch(
            SegmentExportSchema.Schema,
            [
                time.Build(managed), names.Build(managed), pages.Build(managed), hostnames.Build(managed), visitors.Build(managed),
                sessions.Build(managed), engagement.Build(managed), scroll.Build(managed), revenue.Build(managed),
                currency.Build(managed), propsJson.Build(managed), .. sessionBuilders.Select(b => b.Build(managed)),
            ],
            rows.Count);
        using var stream = new MemoryStream();
        using (var writer = new ArrowStreamWriter(stream, SegmentExportSchema.Schema))
        {
            writer.WriteRecordBatch(batch);
            writer.WriteEnd();
        }

        // The segment's columns, read through spans above, may be native memory (see Segment.Scan).
        GC.KeepAlive(segment);
        return stream.ToArray();
    }
}
