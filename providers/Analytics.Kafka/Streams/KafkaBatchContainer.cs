using Orleans.Streams;

namespace Analytics.Kafka.Streams;

/// <summary>
/// One poll of a partition, bound for the partition's lane stream: the events of its readable messages in offset order,
/// each with its own message's offset. The container's token is the last offset the poll read (a skipped message
/// included), so containers queue in the order the partition was read and its checkpoint knows the poll by it.
/// </summary>
[GenerateSerializer, Immutable, Alias("Analytics.Kafka.KafkaBatchContainer")]
public sealed class KafkaBatchContainer(StreamId streamId, object[] events, long[] offsets, KafkaSequenceToken token) : IBatchContainer
{
    [Id(0)]
    public StreamId StreamId { get; } = streamId;

    [Id(1)]
    public object[] Events { get; } = events;

    /// <summary>The offset of each event's message, parallel to <see cref="Events"/>; a message's events are adjacent.</summary>
    [Id(2)]
    public long[] Offsets { get; } = offsets;

    [Id(3)]
    public KafkaSequenceToken Token { get; } = token;

    public StreamSequenceToken SequenceToken => Token;

    /// <summary>The last offset the poll read: what the partition's checkpoint tracks the container by.</summary>
    public long LastOffset => Token.SequenceNumber;

    // Each event's token is its message's offset (then its index in the message): lanes gate by it, not by the container.
    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        var index = 0;
        for (var i = 0; i < Events.Length; i++)
        {
            index = i > 0 && Offsets[i] == Offsets[i - 1] ? index + 1 : 0;
            if (Events[i] is T item)
            {
                yield return Tuple.Create<T, StreamSequenceToken>(item, new KafkaSequenceToken(Offsets[i], index));
            }
        }
    }

    // Kafka 0.9 drops record headers, so no request context travels with the events.
    public bool ImportRequestContext() => false;

    public override string ToString() => $"[KafkaBatchContainer: Stream={StreamId}, LastOffset={LastOffset}, Events={Events.Length}]";
}
