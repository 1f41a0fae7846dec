using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Analytics.Kafka.Producer;

public static class ServiceCollectionKafkaProducerExtensions
{
    /// <summary>Registers <see cref="KafkaBeaconProducer"/> as a singleton with options validated at start-up.</summary>
    public static IServiceCollection AddKafkaBeaconProducer(this IServiceCollection services, Action<KafkaProducerOptions> configure)
    {
        services.AddOptions<KafkaProducerOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaProducerOptions>, KafkaProducerOptionsValidator>());
        services.TryAddSingleton<KafkaBeaconProducer>();
        return services;
    }
}
