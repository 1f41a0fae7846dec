using Apache.Arrow;

namespace Analytics.Grains.Segments;

/// <summary>
/// A dictionary-encoded string column as the scanner reads it: int32 codes per row and the distinct values. Code
/// <see cref="Values"/>.Length stands for null (Arrow's null slots carry it, see <see cref="ArrowColumns"/>).
/// </summary>
internal sealed class DictionaryColumn
{
    private readonly Int32Array _indices;

    public DictionaryColumn(IArrowArray array)
        : this(array, Decode((StringArray)((DictionaryArray)array).Dictionary))
    {
    }

    /// <summary>A column whose dictionary is already at hand as strings (<paramref name="values"/>, in its order).</summary>
    public DictionaryColumn(IArrowArray array, string[] values)
    {
        _indices = (Int32Array)((DictionaryArray)array).Indices;
        Values = values;
        NullCode = Values.Length;
    }

    public string[] Values { get; }

    /// <summary>The code of a null row (one past the dictionary).</summary>
    public int NullCode { get; }

    public ReadOnlySpan<int> Codes => _indices.Values;

    public string? this[int row] => Codes[row] is var code && code == NullCode ? null : Values[code];

    /// <summary>The code of <paramref name="value"/>, or -1 when no row holds it.</summary>
    public int CodeOf(string value) => System.Array.IndexOf(Values, value);

    /// <summary>Column <paramref name="name"/> of <paramref name="batch"/>, its strings taken from <paramref name="decoded"/> when there.</summary>
    public static DictionaryColumn Of(RecordBatch batch, string name, IReadOnlyDictionary<string, string[]>? decoded) =>
        decoded is not null && decoded.TryGetValue(name, out var values) ? new(batch.Column(name), values) : new(batch.Column(name));

    private static string[] Decode(StringArray strings)
    {
        var values = new string[strings.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = strings.GetString(i);
        }

        return values;
    }
}
