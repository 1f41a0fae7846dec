using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Analytics.Grains.Segments;

/// <summary>
/// Builds the Arrow arrays a segment is made of. Dictionary columns use int32 indices; a null slot holds the index one
/// past the dictionary (Arrow leaves null slots undefined), so the scanner reads codes without looking at the validity bitmap.
/// </summary>
internal static class ArrowColumns
{
    public static readonly TimestampType Timestamp = new(TimeUnit.Microsecond, "UTC");

    public static readonly DictionaryType DictionaryString = new(Int32Type.Default, StringType.Default, false);

    private const long UnixEpochTicks = 621_355_968_000_000_000;

    public static long ToMicros(DateTime utc) => (utc.Ticks - UnixEpochTicks) / 10;

    public static DateTime FromMicros(long micros) => new((micros * 10) + UnixEpochTicks, DateTimeKind.Utc);

    public static ArrowBuffer Buffer<T>(ReadOnlySpan<T> values)
        where T : struct => new(MemoryMarshal.AsBytes(values).ToArray());

    public static UInt64Array UInt64(ReadOnlySpan<ulong> values) => new(Buffer(values), ArrowBuffer.Empty, values.Length, 0, 0);

    public static Int64Array Int64(ReadOnlySpan<long> values) => new(Buffer(values), ArrowBuffer.Empty, values.Length, 0, 0);

    public static Int32Array Int32(ReadOnlySpan<int> values) => new(Buffer(values), ArrowBuffer.Empty, values.Length, 0, 0);

    public static Field Field(string name, IArrowType type, bool nullable = false) => new(name, type, nullable);
}
