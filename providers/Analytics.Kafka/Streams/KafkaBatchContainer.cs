using Orleans;
using Orleans.Runtime;
using Orleans.Streams;

namespace Analytics.Kafka.Streams;

/// <summary>The events of one Kafka message, bound for one stream.</summary>
[GenerateSerializer, Immutable, Alias("Analytics.Kafka.KafkaBatchContainer")]
public sealed class KafkaBatchContainer(StreamId streamId, object[] events, KafkaSequenceToken token) : IBatchContainer
{
    [Id(0)]
    public StreamId StreamId { get; } = streamId;

    [Id(1)]
    public object[] Events { get; } = events;

    [Id(2)]
    public KafkaSequenceToken Token { get; } = token;

    public StreamSequenceToken SequenceToken => Token;

    /// <summary>The Kafka offset this container was read from; what the checkpoint is kept in.</summary>
    public long Offset => Token.SequenceNumber;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        for (var i = 0; i < Events.Length; i++)
        {
            if (Events[i] is T item)
            {
                yield return Tuple.Create<T, StreamSequenceToken>(item, Token.WithEventIndex(i));
            }
        }
    }

    // Kafka 0.9 drops record headers, so no request context travels with the events.
    public bool ImportRequestContext() => false;

    public override string ToString() => $"[KafkaBatchContainer: Stream={StreamId}, Offset={Offset}, Events={Events.Length}]";
}
