using Analytics.Sqlite.EventLog;
using Orleans.Streams;

namespace Analytics.Sqlite.Streams;

/// <summary>
/// Read-only adapter: the gateway appends to the event log directly (the log is its sink), so nothing is written through
/// Orleans and the adapter only hands out lane receivers.
/// </summary>
public sealed class SqliteQueueAdapter(string name, SqliteEventLog log, SqliteStreamOptions options, TimeProvider time, ILoggerFactory loggerFactory) : IQueueAdapter
{
    public string Name { get; } = name;

    // Rewinding would need the cache to serve tokens older than what it holds; not needed.
    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadOnly;

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        throw new NotSupportedException($"Stream provider '{Name}' only reads the embedded event log; append to it (SqliteEventLog.AppendAsync) instead.");

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) =>
        new SqliteQueueAdapterReceiver(log, SqliteStreamQueueMapper.LaneOf(queueId), options, time, loggerFactory);
}
