namespace Analytics.Grains.Lanes;

/// <summary>
/// A lane's string dictionary: every attribute of its open sessions is held once, as a code (0 is null). Rows the lane
/// emits share these instances, so a page path seen by a million visitors is one string. Compacted against the live
/// sessions when it has grown well past them.
/// </summary>
public sealed class LaneStrings
{
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly List<string?> _values = [null];

    public int Count => _values.Count - 1;

    /// <summary>Characters held, for the size estimate.</summary>
    public long Chars { get; private set; }

    public int Code(string? value)
    {
        if (value is null)
        {
            return 0;
        }

        if (!_codes.TryGetValue(value, out var code))
        {
            code = _values.Count;
            _codes[value] = code;
            _values.Add(value);
            Chars += value.Length;
        }

        return code;
    }

    public string? Value(int code) => _values[code];

    /// <summary>The non-null string of <paramref name="code"/> (attributes that always have one).</summary>
    public string Text(int code) => _values[code] ?? string.Empty;

    /// <summary>The shared instance equal to <paramref name="value"/>.</summary>
    public string Intern(string value) => _values[Code(value)]!;
}
