using System.Buffers.Binary;
using System.Text;
using Apache.Arrow;

namespace Analytics.Grains.Segments;

/// <summary>
/// The dictionary of one string column of an open segment: each distinct value stored once (appends share it), its code
/// fixed for good, and its UTF-8 kept as an Arrow string array grows. Append-only, so every segment built from it wraps a
/// prefix of the same buffers instead of copying them; growing moves to new buffers and leaves the old prefix to them.
/// </summary>
internal sealed class ColumnDictionary
{
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private string[] _values = new string[16];
    private byte[] _offsets = new byte[17 * sizeof(int)];
    private byte[] _utf8 = new byte[256];
    private int _bytes;

    /// <summary>The distinct values so far; a column built now reads this as its null code.</summary>
    public int Count { get; private set; }

    /// <summary>A sealed segment's dictionary taken over as it is: its rows' codes keep their meaning.</summary>
    public static ColumnDictionary Of(DictionaryColumn column)
    {
        var dictionary = new ColumnDictionary();
        foreach (var value in column.Values)
        {
            dictionary.Add(value);
        }

        return dictionary;
    }

    /// <summary>The code of <paramref name="value"/>, added when new; -1 for null.</summary>
    public int Code(string? value) => value is null ? -1 : _codes.TryGetValue(value, out var code) ? code : Add(value);

    /// <summary>The values so far (shared strings, a new array: the builder's grows on).</summary>
    public string[] Values() => _values[..Count];

    /// <summary>The values so far as an Arrow string array over this dictionary's own buffers.</summary>
    public StringArray Arrow() =>
        new(Count, new ArrowBuffer(_offsets.AsMemory(0, (Count + 1) * sizeof(int))), new ArrowBuffer(_utf8.AsMemory(0, _bytes)), ArrowBuffer.Empty, 0, 0);

    private int Add(string value)
    {
        var code = Count;
        _codes.TryAdd(value, code); // a foreign dictionary may repeat a value: its first code answers, every code stays valid
        if (code == _values.Length)
        {
            System.Array.Resize(ref _values, code * 2);
        }

        _values[code] = value;
        var length = Encoding.UTF8.GetByteCount(value);
        _utf8 = Room(_utf8, _bytes + length);
        _bytes += Encoding.UTF8.GetBytes(value, _utf8.AsSpan(_bytes));
        _offsets = Room(_offsets, (code + 2) * sizeof(int));
        BinaryPrimitives.WriteInt32LittleEndian(_offsets.AsSpan((code + 1) * sizeof(int)), _bytes);
        Count = code + 1;
        return code;
    }

    /// <summary>The buffer, or a bigger copy when <paramref name="needed"/> bytes do not fit (never written in place below its length).</summary>
    private static byte[] Room(byte[] buffer, int needed)
    {
        if (needed <= buffer.Length)
        {
            return buffer;
        }

        var bigger = new byte[Math.Max(needed, buffer.Length * 2)];
        buffer.CopyTo(bigger, 0);
        return bigger;
    }
}
