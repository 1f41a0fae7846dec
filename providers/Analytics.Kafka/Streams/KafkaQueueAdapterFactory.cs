using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Analytics.Kafka.Streams;

/// <summary>Builds the Kafka stream provider's parts: one queue, one receiver and one cache per partition.</summary>
public sealed class KafkaQueueAdapterFactory : IQueueAdapterFactory
{
    private readonly string _name;
    private readonly KafkaStreamOptions _options;
    private readonly IKafkaStreamMessageConverter _converter;
    private readonly ILoggerFactory _loggerFactory;
    private readonly KafkaStreamQueueMapper _mapper;
    private readonly SimpleQueueAdapterCache _cache;

    public KafkaQueueAdapterFactory(string name, KafkaStreamOptions options, IKafkaStreamMessageConverter converter, ILoggerFactory loggerFactory)
    {
        _name = name;
        _options = options;
        _converter = converter;
        _loggerFactory = loggerFactory;
        _mapper = new KafkaStreamQueueMapper(name, options.PartitionCount);
        _cache = new SimpleQueueAdapterCache(new SimpleQueueCacheOptions { CacheSize = options.CacheSize }, name, loggerFactory);
    }

    public static KafkaQueueAdapterFactory Create(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<KafkaStreamOptions>>().Get(name);
        // Keyed by provider name when several providers read different payloads, else the one registration.
        var converter = services.GetKeyedService<IKafkaStreamMessageConverter>(name)
            ?? services.GetService<IKafkaStreamMessageConverter>()
            ?? throw new InvalidOperationException($"Kafka stream provider '{name}' needs an {nameof(IKafkaStreamMessageConverter)} registered (keyed by '{name}' or unkeyed).");
        return new KafkaQueueAdapterFactory(name, options, converter, services.GetRequiredService<ILoggerFactory>());
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) =>
        Task.FromResult<IQueueAdapter>(new KafkaQueueAdapter(_name, _options, _converter, _loggerFactory));

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    // Delivery failures are not retried by the provider: the checkpoint stays before an undelivered
    // message, so the partition's next owner reads it again.
    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler(false));
}
