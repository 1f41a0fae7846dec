using Apache.Arrow;

namespace Analytics.Grains.Segments;

/// <summary>
/// A segment table's record batch with the buffers a read left to fill (<see cref="DeferredBuffers"/>; none for a table
/// built in memory): its columns are handed out to be filled on first use, the batch whole only once all are filled.
/// </summary>
internal sealed class DeferredBatch(RecordBatch batch, DeferredBuffers? buffers)
{
    public int Length => batch.Length;

    /// <summary>The whole batch, every buffer filled (to write it again).</summary>
    public RecordBatch Whole
    {
        get
        {
            buffers?.FillAll();
            return batch;
        }
    }

    public DeferredColumn<TArray> Column<TArray>(string name)
        where TArray : class, IArrowArray => new((TArray)batch.Column(name), buffers);

    /// <summary>Dictionary column <paramref name="name"/>, its strings taken from <paramref name="decoded"/> when there.</summary>
    public DictionaryColumn Strings(string name, IReadOnlyDictionary<string, string[]>? decoded) =>
        decoded is not null && decoded.TryGetValue(name, out var values) ? new(batch.Column(name), values, buffers) : new(batch.Column(name), buffers);
}
