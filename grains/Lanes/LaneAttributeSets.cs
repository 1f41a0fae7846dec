using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Analytics.Grains.Lanes;

/// <summary>
/// A lane's distinct <see cref="LaneAttributes"/>, each held once and known by a code (0: all null). An open-addressing
/// index over the list (codes, 4 bytes a place) keeps the cost of a combination near its 72 bytes, where a dictionary
/// would hold each twice. Compacted with the lane's strings.
/// </summary>
internal sealed class LaneAttributeSets
{
    private readonly List<LaneAttributes> _values = [default];
    private int[] _places = new int[64];

    public int Count => _values.Count - 1;

    /// <summary>Memory held, for the size estimate.</summary>
    public long Bytes => ((long)_values.Capacity * Unsafe.SizeOf<LaneAttributes>()) + (_places.Length * 4L);

    public ref readonly LaneAttributes this[int code] => ref CollectionsMarshal.AsSpan(_values)[code];

    public int Code(in LaneAttributes value)
    {
        if (value == default)
        {
            return 0;
        }

        var mask = _places.Length - 1;
        var place = value.GetHashCode() & mask;
        while (_places[place] is var code && code != 0)
        {
            if (_values[code] == value)
            {
                return code;
            }

            place = (place + 1) & mask;
        }

        var added = _values.Count;
        _values.Add(value);
        _places[place] = added;
        if (Count * 4 > _places.Length * 3)
        {
            Grow();
        }

        return added;
    }

    private void Grow()
    {
        _places = new int[_places.Length * 2];
        var mask = _places.Length - 1;
        for (var code = 1; code < _values.Count; code++)
        {
            var place = _values[code].GetHashCode() & mask;
            while (_places[place] != 0)
            {
                place = (place + 1) & mask;
            }

            _places[place] = code;
        }
    }
}
