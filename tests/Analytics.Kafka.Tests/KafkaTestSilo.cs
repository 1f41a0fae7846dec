using Analytics.Silo.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Analytics.Kafka.Tests;

/// <summary>A TestCluster silo with the Kafka stream provider on the topic named in the cluster properties.</summary>
public sealed class KafkaTestSilo : ISiloConfigurator
{
    public const string ProviderName = "kafka";
    public const string TopicKey = "KafkaTopic";
    public const string GroupKey = "KafkaGroup";
    public const string PartitionsKey = "KafkaPartitions";
    public const string EvenSplitKey = "KafkaEvenSplit";

    /// <summary>
    /// One silo keeps the provider's default consistent-ring balancer; more silos use the deployment
    /// balancer, whose even split the tests can assert (the ring's split depends on silo hashes).
    /// </summary>
    public static TestCluster Build(string topic, string groupId, int partitions, short silos)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Properties[TopicKey] = topic;
        builder.Properties[GroupKey] = groupId;
        builder.Properties[PartitionsKey] = partitions.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Properties[EvenSplitKey] = (silos > 1).ToString();
        builder.AddSiloBuilderConfigurator<KafkaTestSilo>();
        return builder.Build();
    }

    public void Configure(ISiloBuilder siloBuilder)
    {
        var configuration = siloBuilder.Configuration;
        siloBuilder.AddMemoryGrainStorageAsDefault();
        siloBuilder.AddMemoryGrainStorage("PubSubStore");
        siloBuilder.Services.AddSingleton<IKafkaStreamMessageConverter, TestEventConverter>();
        var evenSplit = bool.Parse(configuration[EvenSplitKey]!);
        // Silo names of TestCluster: the deployment balancer splits partitions evenly over the live ones.
        siloBuilder.Services.Configure<StaticClusterDeploymentOptions>(o => o.SiloNames = ["Primary", "Secondary_1"]);
        siloBuilder.AddKafkaStreams(
            ProviderName,
            options =>
            {
                options.BootstrapServers = RequiresServices.KafkaBootstrap;
                options.Topic = configuration[TopicKey]!;
                options.ConsumerGroupId = configuration[GroupKey]!;
                options.PartitionCount = int.Parse(configuration[PartitionsKey]!, System.Globalization.CultureInfo.InvariantCulture);
                options.ApiVersionRequest = KafkaTestBroker.ApiVersionRequest;
                options.BrokerVersionFallback = KafkaTestBroker.BrokerVersionFallback;
            },
            stream =>
            {
                if (evenSplit)
                {
                    stream.UseDynamicClusterConfigDeploymentBalancer(TimeSpan.FromSeconds(1));
                }
            });
    }
}
