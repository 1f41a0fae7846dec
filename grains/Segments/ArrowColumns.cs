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

    public static TimestampArray Timestamps(ReadOnlySpan<long> micros) =>
        new(Timestamp, Buffer(micros), ArrowBuffer.Empty, micros.Length, 0, 0);

    public static UInt64Array UInt64(ReadOnlySpan<ulong> values) => new(Buffer(values), ArrowBuffer.Empty, values.Length, 0, 0);

    public static Int64Array Int64(ReadOnlySpan<long> values) => new(Buffer(values), ArrowBuffer.Empty, values.Length, 0, 0);

    public static Int32Array Int32(ReadOnlySpan<int> values) => new(Buffer(values), ArrowBuffer.Empty, values.Length, 0, 0);

    /// <summary>Values with a validity bitmap; <paramref name="valid"/> false marks a null.</summary>
    public static Int64Array Int64(ReadOnlySpan<long> values, ReadOnlySpan<bool> valid)
    {
        var (bitmap, nulls) = Validity(valid);
        return new Int64Array(Buffer(values), bitmap, values.Length, nulls, 0);
    }

    public static Int32Array Int32(ReadOnlySpan<int> values, ReadOnlySpan<bool> valid)
    {
        var (bitmap, nulls) = Validity(valid);
        return new Int32Array(Buffer(values), bitmap, values.Length, nulls, 0);
    }

    public static BooleanArray Booleans(ReadOnlySpan<bool> values)
    {
        var bits = new byte[(values.Length + 7) / 8];
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i])
            {
                bits[i >> 3] |= (byte)(1 << (i & 7));
            }
        }

        return new BooleanArray(new ArrowBuffer(bits), ArrowBuffer.Empty, values.Length, 0, 0);
    }

    /// <summary>Dictionary-encodes strings in order of first appearance; nulls stay null.</summary>
    public static DictionaryArray Strings(IReadOnlyList<string?> values)
    {
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        var entries = new List<string>();
        var indices = new int[values.Count];
        var valid = new bool[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not { } value)
            {
                continue;
            }

            if (!codes.TryGetValue(value, out var code))
            {
                code = entries.Count;
                codes.Add(value, code);
                entries.Add(value);
            }

            indices[i] = code;
            valid[i] = true;
        }

        for (var i = 0; i < indices.Length; i++)
        {
            if (!valid[i])
            {
                indices[i] = entries.Count;
            }
        }

        var (bitmap, nulls) = Validity(valid);
        var dictionary = new StringArray.Builder().AppendRange(entries).Build();
        return new DictionaryArray(DictionaryString, new Int32Array(Buffer<int>(indices), bitmap, indices.Length, nulls, 0), dictionary);
    }

    public static Field Field(string name, IArrowType type, bool nullable = false) => new(name, type, nullable);

    private static (ArrowBuffer Bitmap, int Nulls) Validity(ReadOnlySpan<bool> valid)
    {
        var nulls = 0;
        var bits = new byte[(valid.Length + 7) / 8];
        for (var i = 0; i < valid.Length; i++)
        {
            if (valid[i])
            {
                bits[i >> 3] |= (byte)(1 << (i & 7));
            }
            else
            {
                nulls++;
            }
        }

        return nulls == 0 ? (ArrowBuffer.Empty, 0) : (new ArrowBuffer(bits), nulls);
    }
}
