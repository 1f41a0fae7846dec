using Analytics.Kafka.Streams;
using Microsoft.Extensions.Options;

namespace Orleans.Hosting;

public static class SiloBuilderKafkaStreamExtensions
{
    /// <summary>
    /// Adds a persistent stream provider reading every partition of a Kafka topic, split evenly over the
    /// active silos (<see cref="EvenQueueBalancer"/>). Register an <see cref="IKafkaStreamMessageConverter"/> as well.
    /// </summary>
    public static ISiloBuilder AddKafkaStreams(this ISiloBuilder builder, string name, Action<KafkaStreamOptions> configure) =>
        builder.AddKafkaStreams(name, configure, null);

    /// <summary>As above; <paramref name="configureStream"/> can change Orleans' side, e.g. the queue balancer or pub-sub type.</summary>
    public static ISiloBuilder AddKafkaStreams(this ISiloBuilder builder, string name, Action<KafkaStreamOptions> configure, Action<ISiloPersistentStreamConfigurator>? configureStream)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddPersistentStreams(name, KafkaQueueAdapterFactory.Create, stream =>
        {
            stream.Configure<KafkaStreamOptions>(options => options.Configure(configure));
            stream.ConfigureDelegate(services =>
                services.AddSingleton<IConfigurationValidator>(sp => KafkaStreamOptionsValidator.Create(sp, name)));
            stream.ConfigurePartitionBalancing(EvenQueueBalancer.Create);
            stream.ConfigureBackoffProvider((services, provider) =>
                new KafkaReadBackoff(services.GetRequiredService<IOptionsMonitor<KafkaStreamOptions>>().Get(provider).ReadRetryMaxDelay));
            stream.ConfigurePullingAgent(agent => agent.Configure<IOptionsMonitor<KafkaStreamOptions>>(
                (options, kafka) => options.MaxEventDeliveryTime = kafka.Get(name).MaxEventDeliveryTime));
            configureStream?.Invoke(stream);
        });
    }
}
