using Apache.Arrow;

namespace Analytics.Grains.Segments;

/// <summary>
/// A dictionary-encoded string column as the scanner reads it: int32 codes per row and the distinct values. Code
/// <see cref="Values"/>.Length stands for null (Arrow's null slots carry it, see <see cref="ArrowColumns"/>). Codes and
/// values are each filled and decoded on first use: most questions read the codes of a few columns and few strings.
/// </summary>
internal sealed class DictionaryColumn
{
    private readonly DeferredColumn<Int32Array> _indices;
    private readonly Lazy<string[]> _values;

    /// <param name="array">The column (a dictionary array).</param>
    /// <param name="buffers">Its segment's deferred buffers (<see cref="DeferredColumn{TArray}"/>).</param>
    public DictionaryColumn(IArrowArray array, DeferredBuffers? buffers)
    {
        var column = (DictionaryArray)array;
        _indices = new((Int32Array)column.Indices, buffers);
        var dictionary = new DeferredColumn<StringArray>((StringArray)column.Dictionary, buffers);
        _values = new(() => Decode(dictionary.Array));
        NullCode = column.Dictionary.Length;
    }

    /// <summary>A column whose dictionary is already at hand as strings (<paramref name="values"/>, in its order).</summary>
    public DictionaryColumn(IArrowArray array, string[] values, DeferredBuffers? buffers)
    {
        _indices = new((Int32Array)((DictionaryArray)array).Indices, buffers);
        _values = new(values);
        NullCode = values.Length;
    }

    public string[] Values => _values.Value;

    /// <summary>The code of a null row (one past the dictionary).</summary>
    public int NullCode { get; }

    public ReadOnlySpan<int> Codes => _indices.Array.Values;

    public string? this[int row] => Codes[row] is var code && code == NullCode ? null : Values[code];

    /// <summary>The code of <paramref name="value"/>, or -1 when no row holds it.</summary>
    public int CodeOf(string value) => System.Array.IndexOf(Values, value);

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
