using Apache.Arrow;

namespace Analytics.Grains.Segments;

/// <summary>A column of a read segment whose buffers are filled on first use (<see cref="DeferredBuffers"/>).</summary>
/// <param name="buffers">The segment's deferred buffers; null for a column already whole (built in memory).</param>
internal sealed class DeferredColumn<TArray>(TArray array, DeferredBuffers? buffers)
    where TArray : class, IArrowArray
{
    private volatile bool _filled = buffers is null;

    public TArray Array
    {
        get
        {
            if (!_filled)
            {
                buffers!.Fill(array);
                _filled = true;
            }

            return array;
        }
    }
}
