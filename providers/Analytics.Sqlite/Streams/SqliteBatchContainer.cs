using Orleans;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace Analytics.Sqlite.Streams;

/// <summary>
/// The events of one visitor read in one pull of a lane, bound for the visitor's stream, in log order. Its token is the log
/// sequence of its first row, so containers queue in the order the lane was read.
/// </summary>
[GenerateSerializer, Immutable, Alias("Analytics.Sqlite.SqliteBatchContainer")]
public sealed class SqliteBatchContainer(StreamId streamId, object[] events, EventSequenceTokenV2 token) : IBatchContainer
{
    [Id(0)]
    public StreamId StreamId { get; } = streamId;

    [Id(1)]
    public object[] Events { get; } = events;

    [Id(2)]
    public EventSequenceTokenV2 Token { get; } = token;

    public StreamSequenceToken SequenceToken => Token;

    /// <summary>The log sequence of the container's first row: what the lane's checkpoint tracks it by.</summary>
    public long FirstSeq => Token.SequenceNumber;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Events.Select((e, i) => (Event: e, Index: i))
            .Where(e => e.Event is T)
            .Select(e => Tuple.Create<T, StreamSequenceToken>((T)e.Event, Token.CreateSequenceTokenForEvent(e.Index)));

    // The log keeps the envelope only: no request context travels with the events.
    public bool ImportRequestContext() => false;

    public override string ToString() => $"[SqliteBatchContainer: Stream={StreamId}, FirstSeq={FirstSeq}, Events={Events.Length}]";
}
