using System.Globalization;

namespace Analytics.Cql;

/// <summary>One decoded row; getters convert by column name (see CqlValueCodec for the decoded types).</summary>
public sealed class CqlRow
{
    private readonly IReadOnlyDictionary<string, int> _ordinals;
    private readonly object?[] _values;

    internal CqlRow(IReadOnlyDictionary<string, int> ordinals, object?[] values)
    {
        _ordinals = ordinals;
        _values = values;
    }

    public int FieldCount => _values.Length;

    public object? this[string column] => _values[Ordinal(column)];

    public object? this[int ordinal] => _values[ordinal];

    public bool HasColumn(string column) => _ordinals.ContainsKey(column);

    public bool IsNull(string column) => this[column] is null;

    public string? GetString(string column) => (string?)this[column];

    public byte[]? GetBytes(string column) => (byte[]?)this[column];

    public long GetInt64(string column) => Convert.ToInt64(NotNull(column), CultureInfo.InvariantCulture);

    public int GetInt32(string column) => Convert.ToInt32(NotNull(column), CultureInfo.InvariantCulture);

    public bool GetBoolean(string column) => (bool)NotNull(column);

    public double GetDouble(string column) => Convert.ToDouble(NotNull(column), CultureInfo.InvariantCulture);

    public DateTimeOffset GetTimestamp(string column) => (DateTimeOffset)NotNull(column);

    public Guid GetGuid(string column) => (Guid)NotNull(column);

    /// <summary>A list column; null (an empty collection in CQL) reads as empty.</summary>
    public List<T> GetList<T>(string column) => Items(column).Cast<T>().ToList();

    public HashSet<T> GetSet<T>(string column) => Items(column).Cast<T>().ToHashSet();

    public Dictionary<TKey, TValue> GetMap<TKey, TValue>(string column)
        where TKey : notnull => this[column] is Dictionary<object, object?> map
            ? map.ToDictionary(e => (TKey)e.Key, e => (TValue)e.Value!)
            : [];

    private IEnumerable<object?> Items(string column) => this[column] as IEnumerable<object?> ?? [];

    private object NotNull(string column) =>
        this[column] ?? throw new InvalidOperationException($"Column '{column}' is null.");

    private int Ordinal(string column) => _ordinals.TryGetValue(column, out var ordinal)
        ? ordinal
        : throw new KeyNotFoundException($"No column '{column}' in the result.");
}
