using Analytics.GrainInterfaces.Events;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Analytics.Sqlite.Streams;

/// <summary>
/// One pull of a lane, bound for the lane's stream: its readable events in log order, each with its own log sequence. The
/// container's token is the last row the pull read (an unreadable one included), so containers queue in the order the
/// lane was read and the lane's checkpoint knows the pull by it.
/// </summary>
[GenerateSerializer, Immutable, Alias("Analytics.Sqlite.SqliteBatchContainer")]
public sealed class SqliteBatchContainer(StreamId streamId, TrackedEvent[] events, long[] seqs, EventSequenceTokenV2 token) : IBatchContainer
{
    [Id(0)]
    public StreamId StreamId { get; } = streamId;

    [Id(1)]
    public TrackedEvent[] Events { get; } = events;

    /// <summary>The log sequence of each event, parallel to <see cref="Events"/>.</summary>
    [Id(2)]
    public long[] Seqs { get; } = seqs;

    [Id(3)]
    public EventSequenceTokenV2 Token { get; } = token;

    public StreamSequenceToken SequenceToken => Token;

    /// <summary>The last log sequence the pull read: what the lane's checkpoint tracks the container by.</summary>
    public long LastSeq => Token.SequenceNumber;

    // Each event's token is its own row: the lane checkpoints and segments gate by it, not by the container.
    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        for (var i = 0; i < Events.Length; i++)
        {
            if (Events[i] is T item)
            {
                yield return Tuple.Create<T, StreamSequenceToken>(item, new EventSequenceTokenV2(Seqs[i]));
            }
        }
    }

    // The log keeps the envelope only: no request context travels with the events.
    public bool ImportRequestContext() => false;

    public override string ToString() => $"[SqliteBatchContainer: Stream={StreamId}, LastSeq={LastSeq}, Events={Events.Length}]";
}
