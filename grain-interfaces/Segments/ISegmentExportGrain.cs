using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.Segments;

/// <summary>
/// One segment's rows for export (key: a <see cref="SegmentKey"/> string, the same activation as the segment grain). The
/// gateway, which does not know the segment format, gets a plain Arrow IPC stream it can re-encode as Arrow or Parquet.
/// </summary>
[Alias("ISegmentExportGrain")]
public interface ISegmentExportGrain : IGrainWithStringKey
{
    /// <summary>
    /// The segment's events whose time is in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), each with its
    /// session's attributes, as an uncompressed Arrow IPC stream of one record batch; null when none is in range.
    /// </summary>
    [Alias("Export"), ReadOnly]
    Task<byte[]?> ExportAsync(DateTime fromUtc, DateTime toUtc);
}
