using System.Globalization;

namespace Analytics.GrainInterfaces.Events;

/// <summary>The stream of one lane (namespace <see cref="StreamNames.Lanes"/>): its key is the queue number as an invariant string.</summary>
public static class LaneStreams
{
    public static string Key(int queue) => queue.ToString(CultureInfo.InvariantCulture);

    /// <summary>The queue of a lane stream; false for a stream of another namespace or a key that is not a queue number.</summary>
    public static bool TryGetQueue(string? streamNamespace, string key, out int queue)
    {
        queue = -1;
        return streamNamespace == StreamNames.Lanes && int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out queue);
    }
}
