using Analytics.Grains.Lanes;
using Analytics.Kafka.Streams;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Analytics.Kafka.Tests;

/// <summary>A TestCluster silo with the Kafka stream provider on the topic named in the cluster properties, its lanes counted by <see cref="EventCounterGrain"/>.</summary>
public sealed class KafkaTestSilo : ISiloConfigurator
{
    public const string ProviderName = "kafka";
    public const string TopicKey = "KafkaTopic";
    public const string GroupKey = "KafkaGroup";
    public const string PartitionsKey = "KafkaPartitions";

    public static TestCluster Build(string topic, string groupId, int partitions, short silos)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Properties[TopicKey] = topic;
        builder.Properties[GroupKey] = groupId;
        builder.Properties[PartitionsKey] = partitions.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.AddSiloBuilderConfigurator<KafkaTestSilo>();
        return builder.Build();
    }

    public void Configure(ISiloBuilder siloBuilder)
    {
        var configuration = siloBuilder.Configuration;
        // The product's lanes subscribe to the same namespace but need the product's stores and provider; here the
        // counter stands in for them.
        siloBuilder.Services.PostConfigure<GrainTypeOptions>(options => options.Classes.Remove(typeof(LaneGrain)));
        // As the product's cluster silos (ClusterSiloExtensions): a silo joining must not leave a lane's counter with two activations.
#pragma warning disable ORLEANSEXP003
        siloBuilder.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        siloBuilder.AddMemoryGrainStorageAsDefault();
        siloBuilder.AddMemoryGrainStorage("PubSubStore");
        siloBuilder.Services.AddSingleton<IKafkaStreamMessageConverter, TestEventConverter>();
        siloBuilder.AddKafkaStreams(
            ProviderName,
            options =>
            {
                options.BootstrapServers = ServiceEndpoints.KafkaBootstrap;
                options.Topic = configuration[TopicKey]!;
                options.ConsumerGroupId = configuration[GroupKey]!;
                options.PartitionCount = int.Parse(configuration[PartitionsKey]!, System.Globalization.CultureInfo.InvariantCulture);
                options.ApiVersionRequest = KafkaTestBroker.ApiVersionRequest;
                options.BrokerVersionFallback = KafkaTestBroker.BrokerVersionFallback;
            });
    }
}
