using Analytics.Kafka.Producer;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Analytics.Kafka.Tests;

public static class TestProducers
{
    public static KafkaBeaconProducer For(string topic, string? bootstrap = null, Action<KafkaProducerOptions>? configure = null)
    {
        var options = new KafkaProducerOptions
        {
            BootstrapServers = bootstrap ?? ServiceEndpoints.KafkaBootstrap,
            Topic = topic,
            ApiVersionRequest = KafkaTestBroker.ApiVersionRequest,
            BrokerVersionFallback = KafkaTestBroker.BrokerVersionFallback,
        };
        configure?.Invoke(options);
        return new KafkaBeaconProducer(Options.Create(options), NullLogger<KafkaBeaconProducer>.Instance);
    }

    /// <summary>Produces <paramref name="count"/> events spread over <paramref name="keys"/>; ids are "prefix-i".</summary>
    public static Task ProduceEventsAsync(KafkaBeaconProducer producer, IReadOnlyList<string> keys, string prefix, int count) =>
        Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            producer.ProduceAsync(keys[i % keys.Count], TestEventConverter.Encode($"{prefix}-{i}"), CancellationToken.None)));
}
