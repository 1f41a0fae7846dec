using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Analytics.Abstractions.Ingestion;
using Xunit.Abstractions;

namespace Analytics.Kafka.Tests;

public sealed class KafkaBeaconProducerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Produce_completes_after_the_broker_has_the_messages()
    {
        if (!ServiceEndpoints.KafkaAvailable()) return;
        const int partitions = 4;
        const int count = 5000;
        var topic = KafkaTestBroker.NewTopicName("producer");
        await KafkaTestBroker.CreateTopicAsync(topic, partitions);
        using var producer = TestProducers.For(topic);

        var clock = Stopwatch.StartNew();
        await TestProducers.ProduceEventsAsync(producer, ["a|1", "b|2", "c|3", "d|4", "e|5"], "p", count);
        clock.Stop();

        // Acknowledged means on the broker: the watermarks hold every message before any consumer runs.
        var produced = KafkaTestBroker.Offsets(topic, partitions, "nobody").Sum(o => o.Produced);
        Assert.Equal(count, produced);
        output.WriteLine($"produced {count} messages with acks=all in {clock.ElapsedMilliseconds} ms ({count / clock.Elapsed.TotalSeconds:0} msg/s)");
    }

    [Fact]
    public async Task Unreachable_broker_throws_EventSinkUnavailable_within_a_bounded_time_then_fails_fast()
    {
        using var producer = TestProducers.For("any", $"127.0.0.1:{UnusedPort()}", options =>
        {
            options.DeliveryTimeout = TimeSpan.FromSeconds(1);
            options.RetryAttempts = 2;
            options.RetryDelay = TimeSpan.FromMilliseconds(50);
            options.BreakerMinimumThroughput = 2;
            options.BreakDuration = TimeSpan.FromSeconds(30);
        });

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<EventSinkUnavailableException>(() => producer.ProduceAsync("s|v", [1], CancellationToken.None));
        var first = clock.Elapsed;
        Assert.True(first < TimeSpan.FromSeconds(10), $"first failure took {first}");

        // Two failed attempts opened the breaker: the next produce does not wait for the broker at all.
        clock.Restart();
        var open = await Assert.ThrowsAsync<EventSinkUnavailableException>(() => producer.ProduceAsync("s|v", [2], CancellationToken.None));
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(500), $"open breaker took {clock.Elapsed}");
        Assert.IsType<Polly.CircuitBreaker.BrokenCircuitException>(open.InnerException, exactMatch: false);
        output.WriteLine($"unavailable after {first.TotalMilliseconds:0} ms; open breaker failed in {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    private static int UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
