using Analytics.GrainInterfaces.Query;
using Analytics.GrainInterfaces.Segments;

namespace Analytics.Grains.Segments;

/// <summary>
/// An immutable columnar segment: one site's sessions that started on one UTC day and all their events, strings
/// dictionary-encoded, numbers fixed-width; written as compressed Arrow IPC, readable with pyarrow, DuckDB or Polars.
/// </summary>
public sealed class Segment
{
    public SegmentKey Key => throw new NotImplementedException("H-seg");

    public int EventCount => throw new NotImplementedException("H-seg");

    public int SessionCount => throw new NotImplementedException("H-seg");

    public static Segment Read(ReadOnlyMemory<byte> ipc) => throw new NotImplementedException("H-seg");

    /// <summary>The segment as compressed Arrow IPC (what sealing stores).</summary>
    public byte[] Write() => throw new NotImplementedException("H-seg");

    /// <summary>The query's partial aggregates over this segment's rows that lie in the query's range.</summary>
    public SegmentPartial Scan(StatsQuery query) => throw new NotImplementedException("H-seg");
}
