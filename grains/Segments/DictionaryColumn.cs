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
    {
        var dictionary = (DictionaryArray)array;
        _indices = (Int32Array)dictionary.Indices;
        var strings = (StringArray)dictionary.Dictionary;
        Values = new string[strings.Length];
        for (var i = 0; i < Values.Length; i++)
        {
            Values[i] = strings.GetString(i);
        }

        NullCode = Values.Length;
    }

    public string[] Values { get; }

    /// <summary>The code of a null row (one past the dictionary).</summary>
    public int NullCode { get; }

    public ReadOnlySpan<int> Codes => _indices.Values;

    public string? this[int row] => Codes[row] is var code && code == NullCode ? null : Values[code];

    /// <summary>The code of <paramref name="value"/>, or -1 when no row holds it.</summary>
    public int CodeOf(string value) => System.Array.IndexOf(Values, value);
}
