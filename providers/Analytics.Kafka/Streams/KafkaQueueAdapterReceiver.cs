using System.Diagnostics;
using Confluent.Kafka;
using Orleans.Streams;

namespace Analytics.Kafka.Streams;

/// <summary>
/// Reads one partition for the pulling agent that owns its queue. The consumer assigns itself the
/// partition instead of joining the group, because Orleans' queue balancer, not Kafka, decides which
/// silo reads which partition; the group only keeps the committed offsets. Each poll is one container on the partition's
/// lane stream, so the agent makes one call to the lane's consumer per poll. An offset is stored once the agent reports
/// its container delivered to all consumers, never past an undelivered one; the client commits stored offsets in the
/// background (and on close), because a synchronous commit blocks the partition for as long as the group coordinator does
/// not answer, e.g. while a restarted broker loads its offsets.
/// </summary>
public sealed partial class KafkaQueueAdapterReceiver : IQueueAdapterReceiver
{
    private readonly KafkaStreamOptions _options;
    private readonly ILogger _logger;
    private readonly KafkaPartitionTracker _tracker;
    private readonly string _clientId;
    // The agent does not overlap its calls, but a shutdown may race a read; the consumer is not shared.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConsumer<byte[], byte[]>? _consumer;
    private TimeSpan _assignTimeout = TimeSpan.FromSeconds(10);
    private bool _shutDown;
    // When the last read that returned messages ended, and whether it was a full poll (the partition is behind).
    private long _lastRead;
    private bool _backlog;
    // The polls handed to the agent and not yet reported delivered (last offset, when read). The lane's stream is delivered
    // in order, so a report of a poll also settles any older one still here. A delivery Orleans gives up on (after
    // MaxEventDeliveryTime) is never reported, so a poll that old no longer holds the partition back.
    private readonly Queue<(long Offset, long ReadAt)> _ahead = new();

    public KafkaQueueAdapterReceiver(string providerName, int partition, KafkaStreamOptions options, IKafkaStreamMessageConverter converter, ILoggerFactory loggerFactory)
    {
        _options = options;
        _logger = loggerFactory.CreateLogger<KafkaQueueAdapterReceiver>();
        _clientId = $"{providerName}-{Environment.MachineName}-p{partition}";
        _tracker = new KafkaPartitionTracker(new TopicPartition(options.Topic, partition), converter, _logger);
    }

    public Task Initialize(TimeSpan timeout) => Initialize(timeout, CancellationToken.None);

    public async Task Initialize(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _assignTimeout = timeout;
            _consumer = await Task.Run(() => Assign(timeout), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        // The agent never overlaps its own calls, and a shutdown leaves the queue alone: it is used without the gate.
        while (_ahead.TryPeek(out var oldest) && Stopwatch.GetElapsedTime(oldest.ReadAt) > _options.MaxEventDeliveryTime)
        {
            _ahead.Dequeue();
        }

        if (_ahead.Count >= _options.MaxPollsInFlight)
        {
            return [];
        }

        // Outside the gate, so a delivery report is never held up by the wait.
        var linger = _backlog || _lastRead == 0 ? TimeSpan.Zero : _options.Linger - Stopwatch.GetElapsedTime(_lastRead);
        try
        {
            if (linger > TimeSpan.Zero)
            {
                await Task.Delay(linger, cancellationToken);
            }

            await _gate.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The agent stopping cancels the poll it is waiting in: it read nothing, which is no error to log.
            return [];
        }

        try
        {
            if (_shutDown)
            {
                return [];
            }
            // The agent keeps polling after a failed Initialize (e.g. broker down at start), so assign late.
            var consumer = _consumer ??= await Task.Run(() => Assign(_assignTimeout), cancellationToken);
            // maxCount counts the containers the agent's cache can take; a poll is at most one.
            var (read, batch) = await Task.Run(() =>
            {
                var messages = Read(consumer, cancellationToken);
                return (messages.Count, _tracker.Accept(messages));
            }, cancellationToken);
            if (read > 0)
            {
                (_lastRead, _backlog) = (Stopwatch.GetTimestamp(), read >= _options.BatchSize);
            }

            if (batch is not null)
            {
                _ahead.Enqueue((batch.LastOffset, Stopwatch.GetTimestamp()));
            }

            // A poll of skipped messages only is never reported delivered, so a partition of nothing else commits here.
            StorePending(consumer);
            return batch is null ? [] : [batch];
        }
        finally
        {
            _gate.Release();
        }
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _tracker.Delivered(messages);
            var newest = messages.OfType<KafkaBatchContainer>().Select(c => c.LastOffset).DefaultIfEmpty(long.MinValue).Max();
            while (_ahead.TryPeek(out var oldest) && oldest.Offset <= newest)
            {
                _ahead.Dequeue();
            }
            if (_consumer is { } consumer)
            {
                StorePending(consumer);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task Shutdown(TimeSpan timeout) => Shutdown(timeout, CancellationToken.None);

    public async Task Shutdown(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _shutDown = true;
            if (_consumer is not { } consumer)
            {
                return;
            }
            _consumer = null;
            StorePending(consumer);
            // Close commits what is stored.
            await Task.Run(() =>
            {
                consumer.Close();
                consumer.Dispose();
            }, CancellationToken.None);
            LogReleased(_tracker.Partition.Topic, _tracker.Partition.Partition.Value, _tracker.Checkpoint.InFlight);
        }
        finally
        {
            _gate.Release();
        }
    }

    private IConsumer<byte[], byte[]> Assign(TimeSpan timeout)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = _options.BootstrapServers,
            GroupId = _options.ConsumerGroupId,
            ClientId = _clientId,
            EnableAutoCommit = true,
            AutoCommitIntervalMs = (int)_options.CommitInterval.TotalMilliseconds,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = (int)_options.SessionTimeout.TotalMilliseconds,
            FetchMinBytes = _options.FetchMinBytes,
            FetchWaitMaxMs = (int)_options.FetchMaxWait.TotalMilliseconds,
        };
        // Only set when asked: brokers before 0.10 need these, modern ones negotiate by themselves.
        if (_options.ApiVersionRequest is { } apiVersionRequest) config.ApiVersionRequest = apiVersionRequest;
        if (_options.BrokerVersionFallback is { } fallback) config.BrokerVersionFallback = fallback;
        var consumer = new ConsumerBuilder<byte[], byte[]>(config)
            .SetErrorHandler((_, error) => LogClientError(_tracker.Partition.Topic, _tracker.Partition.Partition.Value, error.Code, error.Reason))
            .Build();
        try
        {
            var committed = consumer.Committed([_tracker.Partition], timeout).Single().Offset;
            var start = committed.IsSpecial ? Offset.Beginning : committed;
            consumer.Assign(new TopicPartitionOffset(_tracker.Partition, start));
            LogAssigned(_tracker.Partition.Topic, _tracker.Partition.Partition.Value, start.ToString());
            return consumer;
        }
        catch
        {
            consumer.Dispose();
            throw;
        }
    }

    private List<ConsumeResult<byte[], byte[]>> Read(IConsumer<byte[], byte[]> consumer, CancellationToken cancellationToken)
    {
        var messages = new List<ConsumeResult<byte[], byte[]>>();
        // Wait up to the poll timeout for the first message only; the rest are already fetched.
        var result = consumer.Consume(_options.PollTimeout);
        while (result is { IsPartitionEOF: false })
        {
            // Kept even when cancelled: the consumer has moved past it, so it must be in the poll the checkpoint sees.
            messages.Add(result);
            if (messages.Count >= _options.BatchSize || cancellationToken.IsCancellationRequested)
            {
                break;
            }
            try
            {
                result = consumer.Consume(TimeSpan.Zero);
            }
            catch (ConsumeException ex)
            {
                // The consumer has moved past what this poll holds: hand those over now and let the next poll meet the error.
                LogConsumeFailed(ex, _tracker.Partition.Topic, _tracker.Partition.Partition.Value, messages.Count);
                break;
            }
        }
        return messages;
    }

    private void StorePending(IConsumer<byte[], byte[]> consumer)
    {
        if (_tracker.PendingCommit is not { } position)
        {
            return;
        }
        try
        {
            consumer.StoreOffset(position);
            _tracker.Committed(position);
        }
        catch (KafkaException ex)
        {
            // Kept pending: the next delivery or read retries it, and a restart re-reads at worst.
            LogCommitFailed(ex, position.Topic, position.Partition.Value, position.Offset.Value);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading Kafka {Topic}[{Partition}] from {Offset}")]
    private partial void LogAssigned(string topic, int partition, string offset);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released Kafka {Topic}[{Partition}] with {InFlight} polls not yet delivered")]
    private partial void LogReleased(string topic, int partition, int inFlight);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading Kafka {Topic}[{Partition}] failed after {Read} messages of a poll")]
    private partial void LogConsumeFailed(Exception error, string topic, int partition, int read);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing Kafka {Topic}[{Partition}]@{Offset} for commit failed")]
    private partial void LogCommitFailed(Exception error, string topic, int partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka consumer for {Topic}[{Partition}]: {Code} {Reason}")]
    private partial void LogClientError(string topic, int partition, Confluent.Kafka.ErrorCode code, string reason);
}
