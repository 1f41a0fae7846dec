using Analytics.Kafka.Producer;
using Analytics.Kafka.Streams;
using Microsoft.Extensions.Configuration;

namespace Analytics.Kafka.Tests;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Stream_defaults_are_valid_and_leave_old_broker_settings_off()
    {
        var options = new KafkaStreamOptions();
        Assert.Empty(KafkaStreamOptionsValidator.Validate(options));
        Assert.Null(options.ApiVersionRequest);
        Assert.Null(options.BrokerVersionFallback);
    }

    [Fact]
    public void Stream_options_report_every_bad_setting()
    {
        var options = new KafkaStreamOptions
        {
            BootstrapServers = "",
            Topic = " ",
            ConsumerGroupId = "",
            PartitionCount = 0,
            BatchSize = 0,
            CacheSize = 9,
            PollTimeout = TimeSpan.FromMinutes(1),
            Linger = TimeSpan.FromSeconds(2),
            MaxPollsInFlight = 0,
            FetchMinBytes = 0,
            FetchMaxWait = TimeSpan.FromSeconds(2),
            SessionTimeout = TimeSpan.Zero,
            BrokerVersionFallback = "old",
        };

        var errors = KafkaStreamOptionsValidator.Validate(options);

        foreach (var name in new[] { "BootstrapServers", "Topic", "ConsumerGroupId", "PartitionCount", "BatchSize", "CacheSize", "PollTimeout", "Linger", "MaxPollsInFlight", "FetchMinBytes", "FetchMaxWait", "SessionTimeout", "BrokerVersionFallback" })
        {
            Assert.Contains(errors, e => e.StartsWith(name, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Stream_validator_fails_silo_start_with_the_provider_name()
    {
        var validator = new KafkaStreamOptionsValidator(new KafkaStreamOptions { PartitionCount = -1 }, "kafka");
        var error = Assert.Throws<OrleansConfigurationException>(validator.ValidateConfiguration);
        Assert.Contains("'kafka'", error.Message);
    }

    [Fact]
    public void Producer_defaults_are_valid_and_leave_old_broker_settings_off()
    {
        var options = new KafkaProducerOptions();
        Assert.True(new KafkaProducerOptionsValidator().Validate(null, options).Succeeded);
        Assert.Null(options.ApiVersionRequest);
        Assert.Null(options.BrokerVersionFallback);
    }

    [Fact]
    public void The_shared_section_sets_the_producers_linger_and_the_readers_linger_apart()
    {
        // Gateways and silos bind the same Analytics:Kafka section: one key must not set both lingers.
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Analytics:Kafka:Linger"] = "00:00:00.250", ["Analytics:Kafka:ProduceLinger"] = "00:00:00.002" })
            .Build()
            .GetSection("Analytics:Kafka");
        var stream = new KafkaStreamOptions();
        var producer = new KafkaProducerOptions();
        section.Bind(stream);
        section.Bind(producer);

        Assert.Equal(TimeSpan.FromMilliseconds(250), stream.Linger);
        Assert.Equal(TimeSpan.FromMilliseconds(2), producer.ProduceLinger);
    }

    [Fact]
    public void Producer_options_report_bad_settings()
    {
        var options = new KafkaProducerOptions
        {
            Topic = "",
            ProduceLinger = TimeSpan.FromSeconds(2),
            DeliveryTimeout = TimeSpan.FromSeconds(1),
            RetryAttempts = -1,
            BreakerFailureRatio = 0,
        };

        var result = new KafkaProducerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        foreach (var name in new[] { "Topic", "ProduceLinger", "DeliveryTimeout", "RetryAttempts", "BreakerFailureRatio" })
        {
            Assert.Contains(result.Failures!, e => e.StartsWith(name, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Producer_refuses_invalid_options_at_construction() =>
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            new KafkaBeaconProducer(Microsoft.Extensions.Options.Options.Create(new KafkaProducerOptions { Topic = "" }), Microsoft.Extensions.Logging.Abstractions.NullLogger<KafkaBeaconProducer>.Instance));
}
