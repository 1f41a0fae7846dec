using System.Diagnostics;
using Analytics.Kafka.Streams;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Streams;

namespace Analytics.Kafka.Tests;

public sealed class KafkaQueueAdapterReceiverTests
{
    [Fact]
    public async Task A_partition_that_keeps_up_gathers_what_arrives_within_the_linger_into_one_poll()
    {
        if (!ServiceEndpoints.KafkaAvailable()) return;
        var topic = await NewTopicAsync("linger");
        using var producer = TestProducers.For(topic);
        var linger = TimeSpan.FromSeconds(1);
        // The broker answers a fetch as soon as it holds a message, so what was acknowledged is soon in the consumer.
        var receiver = await StartReceiverAsync(topic, options => (options.Linger, options.FetchMinBytes) = (linger, 1));
        try
        {
            // An idle partition reads its first message at once.
            await producer.ProduceAsync("k", TestEventConverter.Encode("a"), CancellationToken.None);
            // Started before the first read: the second can return no sooner than a linger after the first ended.
            var clock = Stopwatch.StartNew();
            Assert.Equal(["a"], Ids(await receiver.GetQueueMessagesAsync(100, CancellationToken.None)));
            var firstRead = clock.Elapsed;
            Assert.True(firstRead < linger, $"the first read of an idle partition took {firstRead}");

            // Then one message at once and one a fifth of the linger later: the next poll waits and takes both. The
            // late one's delay runs beside the first one's acknowledgement, so a slow broker eats less of the linger;
            // it is produced only once "b" is acknowledged, so a retry of "b" cannot put it behind "c".
            var b = producer.ProduceAsync("k", TestEventConverter.Encode("b"), CancellationToken.None);
            var late = Task.Run(async () =>
            {
                await Task.Delay(linger / 5);
                await b;
                await producer.ProduceAsync("k", TestEventConverter.Encode("c"), CancellationToken.None);
                return clock.Elapsed;
            });
            await b;
            var second = await receiver.GetQueueMessagesAsync(100, CancellationToken.None);
            var waited = clock.Elapsed;
            var lateAcknowledged = await late;

            Assert.True(Ids(second) is ["b", "c"], $"the second poll read [{string.Join(", ", Ids(second))}], returning {waited} after the first began (which ended at {firstRead}); \"c\" was acknowledged {lateAcknowledged} after the first began");
            // The timer may fire a tick early; without the linger the poll returns with "b" alone, well before.
            Assert.True(waited >= linger - TimeSpan.FromMilliseconds(20), $"the second poll returned {waited} after the first began, before the linger of {linger}");
        }
        finally
        {
            await receiver.Shutdown(TimeSpan.FromSeconds(10), CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_partition_waits_in_Kafka_while_its_polls_are_undelivered_until_one_is_reported_or_Orleans_gave_up_on_it()
    {
        if (!ServiceEndpoints.KafkaAvailable()) return;
        var topic = await NewTopicAsync("ahead");
        using var producer = TestProducers.For(topic);
        var giveUp = TimeSpan.FromSeconds(2);
        var receiver = await StartReceiverAsync(topic, options =>
        {
            options.Linger = TimeSpan.Zero;
            options.MaxPollsInFlight = 1;
            options.MaxEventDeliveryTime = giveUp;
        });
        try
        {
            await producer.ProduceAsync("k", TestEventConverter.Encode("a"), CancellationToken.None);
            var first = await receiver.GetQueueMessagesAsync(100, CancellationToken.None);
            Assert.Equal(["a"], Ids(first));

            // "a" is not reported delivered: "b" stays in Kafka, however often the agent asks.
            await producer.ProduceAsync("k", TestEventConverter.Encode("b"), CancellationToken.None);
            var clock = Stopwatch.StartNew();
            Assert.Empty(await receiver.GetQueueMessagesAsync(100, CancellationToken.None));
            Assert.True(clock.Elapsed < giveUp / 2, $"a held-back read took {clock.Elapsed}; it answers at once");

            // Reported: the next read takes "b".
            await receiver.MessagesDeliveredAsync(first, CancellationToken.None);
            clock.Restart();
            var second = await receiver.GetQueueMessagesAsync(100, CancellationToken.None);
            Assert.Equal(["b"], Ids(second));

            // Never reported (Orleans gave up on its delivery): after MaxEventDeliveryTime it holds nothing back.
            await producer.ProduceAsync("k", TestEventConverter.Encode("c"), CancellationToken.None);
            var third = await Poll.UntilAsync(() => receiver.GetQueueMessagesAsync(100, CancellationToken.None), polls => polls.Count > 0,
                TimeSpan.FromSeconds(30), "the poll after one Orleans gave up on");
            Assert.Equal(["c"], Ids(third));
            Assert.True(clock.Elapsed >= giveUp - TimeSpan.FromMilliseconds(20), $"\"c\" came {clock.Elapsed} after \"b\" was asked for, before it was given up ({giveUp} after its read)");
        }
        finally
        {
            await receiver.Shutdown(TimeSpan.FromSeconds(10), CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_poll_cancelled_while_it_lingers_reads_nothing_without_an_error_and_the_next_poll_reads_on()
    {
        if (!ServiceEndpoints.KafkaAvailable()) return;
        var topic = await NewTopicAsync("cancel");
        using var producer = TestProducers.For(topic);
        var receiver = await StartReceiverAsync(topic, options => options.Linger = TimeSpan.FromSeconds(3));
        try
        {
            await producer.ProduceAsync("k", TestEventConverter.Encode("a"), CancellationToken.None);
            Assert.Equal(["a"], Ids(await receiver.GetQueueMessagesAsync(100, CancellationToken.None)));

            // Right after a read the next poll lingers first: what the pulling agent cancels when it stops. Orleans
            // logged the exception this used to throw as a failed read.
            await producer.ProduceAsync("k", TestEventConverter.Encode("b"), CancellationToken.None);
            using var stopping = new CancellationTokenSource();
            var poll = receiver.GetQueueMessagesAsync(100, stopping.Token);
            Assert.False(poll.IsCompleted);
            await stopping.CancelAsync();
            Assert.Empty(await poll);

            Assert.Equal(["b"], Ids(await receiver.GetQueueMessagesAsync(100, CancellationToken.None)));
        }
        finally
        {
            await receiver.Shutdown(TimeSpan.FromSeconds(10), CancellationToken.None);
        }
    }

    private static async Task<string> NewTopicAsync(string prefix)
    {
        var topic = KafkaTestBroker.NewTopicName(prefix);
        await KafkaTestBroker.CreateTopicAsync(topic, 1);
        return topic;
    }

    /// <summary>The receiver of the topic's one partition, its first poll waiting up to 10 s.</summary>
    private static async Task<KafkaQueueAdapterReceiver> StartReceiverAsync(string topic, Action<KafkaStreamOptions> configure)
    {
        var options = new KafkaStreamOptions
        {
            BootstrapServers = ServiceEndpoints.KafkaBootstrap,
            Topic = topic,
            ConsumerGroupId = topic,
            PartitionCount = 1,
            PollTimeout = TimeSpan.FromSeconds(10),
            ApiVersionRequest = KafkaTestBroker.ApiVersionRequest,
            BrokerVersionFallback = KafkaTestBroker.BrokerVersionFallback,
        };
        configure(options);
        var receiver = new KafkaQueueAdapterReceiver("kafka", 0, options, new TestEventConverter(), NullLoggerFactory.Instance);
        await receiver.Initialize(TimeSpan.FromSeconds(30), CancellationToken.None);
        return receiver;
    }

    private static List<string> Ids(IList<IBatchContainer> polls) =>
        [.. polls.SelectMany(p => p.GetEvents<TestEvent>()).Select(e => e.Item1.Id)];
}
