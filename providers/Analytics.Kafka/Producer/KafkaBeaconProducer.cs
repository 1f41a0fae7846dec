using Analytics.Abstractions.Ingestion;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using ErrorCode = Confluent.Kafka.ErrorCode;

namespace Analytics.Kafka.Producer;

/// <summary>
/// Produces accepted beacons to Kafka and returns only once the broker acknowledged them (acks=all).
/// Transient failures are retried with backoff behind a circuit breaker; when Kafka stays away the
/// caller gets <see cref="EventSinkUnavailableException"/>, at once while the breaker is open.
/// </summary>
public sealed partial class KafkaBeaconProducer : IDisposable
{
    private static readonly HashSet<ErrorCode> TransientErrors =
    [
        ErrorCode.Local_MsgTimedOut, ErrorCode.Local_Transport, ErrorCode.Local_AllBrokersDown,
        ErrorCode.Local_TimedOut, ErrorCode.Local_QueueFull, ErrorCode.RequestTimedOut,
        ErrorCode.NetworkException, ErrorCode.BrokerNotAvailable, ErrorCode.LeaderNotAvailable,
        ErrorCode.NotLeaderForPartition, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicasAfterAppend,
    ];

    private readonly IProducer<string, byte[]> _producer;
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _breaker = new();
    private readonly string _topic;
    private readonly ILogger _logger;

    public KafkaBeaconProducer(IOptions<KafkaProducerOptions> options, ILogger<KafkaBeaconProducer> logger)
    {
        var settings = options.Value;
        var validation = new KafkaProducerOptionsValidator().Validate(null, settings);
        if (validation.Failed)
        {
            throw new OptionsValidationException(nameof(KafkaProducerOptions), typeof(KafkaProducerOptions), validation.Failures);
        }
        _topic = settings.Topic;
        _logger = logger;
        var config = new ProducerConfig
        {
            BootstrapServers = settings.BootstrapServers,
            Acks = Acks.All,
            LingerMs = settings.ProduceLinger.TotalMilliseconds,
            MessageTimeoutMs = (int)settings.DeliveryTimeout.TotalMilliseconds,
            // Bounded: while the broker is away, beacons beyond these fail at once (Local_QueueFull → 503) instead of
            // piling up in the gateway's memory.
            QueueBufferingMaxMessages = settings.QueueMaxMessages,
            QueueBufferingMaxKbytes = settings.QueueMaxKbytes,
        };
        // Only set when asked: brokers before 0.10 need these, modern ones negotiate by themselves.
        if (settings.ApiVersionRequest is { } apiVersionRequest) config.ApiVersionRequest = apiVersionRequest;
        if (settings.BrokerVersionFallback is { } fallback) config.BrokerVersionFallback = fallback;
        _producer = new ProducerBuilder<string, byte[]>(config)
            .SetErrorHandler((_, error) => LogClientError(error.Code, error.Reason))
            .Build();
        _pipeline = BuildPipeline(settings);
    }

    /// <summary>False while the circuit breaker is open: produces fail at once with <see cref="EventSinkUnavailableException"/>.</summary>
    public bool IsAvailable => _breaker.CircuitState is CircuitState.Closed or CircuitState.HalfOpen;

    public async Task ProduceAsync(string key, byte[] value, CancellationToken ct)
    {
        var message = new Message<string, byte[]> { Key = key, Value = value };
        try
        {
            await _pipeline.ExecuteAsync(
                static async (state, token) => await state.Producer.ProduceAsync(state.Topic, state.Message, token),
                (Producer: _producer, Topic: _topic, Message: message),
                ct);
        }
        catch (BrokenCircuitException ex)
        {
            throw new EventSinkUnavailableException($"Kafka topic '{_topic}' is unavailable: the circuit breaker is open.", ex);
        }
        catch (KafkaException ex) when (IsTransient(ex))
        {
            throw new EventSinkUnavailableException($"Kafka topic '{_topic}' did not acknowledge the event: {ex.Error.Reason}", ex);
        }
    }

    public void Dispose()
    {
        // Whatever is still queued was never acknowledged, so no caller was told it was accepted.
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }

    private ResiliencePipeline BuildPipeline(KafkaProducerOptions settings)
    {
        var transient = new PredicateBuilder().Handle<KafkaException>(IsTransient);
        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = settings.RetryAttempts,
                Delay = settings.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    LogRetry(args.Outcome.Exception, _topic, args.AttemptNumber + 1);
                    return ValueTask.CompletedTask;
                },
            })
            // Inside the retry, so every attempt counts and an open breaker ends the retries at once.
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = settings.BreakerFailureRatio,
                MinimumThroughput = settings.BreakerMinimumThroughput,
                SamplingDuration = settings.BreakerSamplingDuration,
                BreakDuration = settings.BreakDuration,
                StateProvider = _breaker,
                OnOpened = args =>
                {
                    LogBreakerOpened(_topic, args.BreakDuration);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    private static bool IsTransient(KafkaException ex) => TransientErrors.Contains(ex.Error.Code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Producing to Kafka topic {Topic} failed; attempt {Attempt} follows")]
    private partial void LogRetry(Exception? error, string topic, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka topic {Topic} unavailable: circuit breaker open for {BreakDuration}")]
    private partial void LogBreakerOpened(string topic, TimeSpan breakDuration);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka producer: {Code} {Reason}")]
    private partial void LogClientError(ErrorCode code, string reason);
}
