using Analytics.GrainInterfaces.Segments;
using Apache.Arrow;

namespace Analytics.Grains.Segments;

/// <summary>
/// Custom properties as a long table "props": one row per (event, key), <c>event</c> being the event's row number in the
/// events table. Few events carry properties, so this is far smaller than a column per key or a map per event.
/// </summary>
internal sealed class PropsTable
{
    public const string EventColumn = "event";
    public const string KeyColumn = "key";
    public const string ValueColumn = "value";

    private readonly DeferredBatch _batch;
    private readonly DeferredColumn<Int32Array> _events;

    /// <param name="batch">The table.</param>
    /// <param name="decoded">Strings of its dictionary columns already at hand, by column (the others are decoded).</param>
    /// <param name="buffers">The buffers of a read segment still to fill, filled column by column on first use.</param>
    public PropsTable(RecordBatch batch, IReadOnlyDictionary<string, string[]>? decoded = null, DeferredBuffers? buffers = null)
    {
        _batch = new(batch, buffers);
        _events = _batch.Column<Int32Array>(EventColumn);
        Keys = _batch.Strings(KeyColumn, decoded);
        PropValues = _batch.Strings(ValueColumn, decoded);
    }

    public static readonly Schema Schema = new(
        [
            ArrowColumns.Field(EventColumn, Apache.Arrow.Types.Int32Type.Default),
            ArrowColumns.Field(KeyColumn, ArrowColumns.DictionaryString),
            ArrowColumns.Field(ValueColumn, ArrowColumns.DictionaryString),
        ],
        null);

    /// <summary>The whole table, every buffer filled.</summary>
    public RecordBatch Batch => _batch.Whole;

    public ReadOnlySpan<int> Events => _events.Array.Values;

    public DictionaryColumn Keys { get; }

    public DictionaryColumn PropValues { get; }

    /// <summary>Each event's properties (null for none), for turning rows back into <see cref="EventRow"/>s.</summary>
    public Dictionary<string, string>?[] ByEvent(int eventCount)
    {
        var result = new Dictionary<string, string>?[eventCount];
        var events = Events;
        for (var p = 0; p < events.Length; p++)
        {
            (result[events[p]] ??= new Dictionary<string, string>(StringComparer.Ordinal))[Keys[p]!] = PropValues[p]!;
        }

        return result;
    }

    /// <summary>
    /// Per event, the code in <see cref="PropValues"/> of its value for <paramref name="key"/>; events without it get
    /// <see cref="DictionaryColumn.NullCode"/> (read as "(none)").
    /// </summary>
    public int[] CodesFor(string key, int eventCount)
    {
        var result = new int[eventCount];
        System.Array.Fill(result, PropValues.NullCode);
        var keyCode = Keys.CodeOf(key);
        if (keyCode < 0)
        {
            return result;
        }

        var events = Events;
        var keyCodes = Keys.Codes;
        var valueCodes = PropValues.Codes;
        for (var p = 0; p < events.Length; p++)
        {
            if (keyCodes[p] == keyCode)
            {
                result[events[p]] = valueCodes[p];
            }
        }

        return result;
    }
}
