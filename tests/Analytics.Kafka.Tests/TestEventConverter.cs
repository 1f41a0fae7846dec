using System.Text;
using Analytics.Kafka.Streams;
using Confluent.Kafka;

namespace Analytics.Kafka.Tests;

/// <summary>Key "site|visitor" is the stream key in its own namespace; the value is "evt:&lt;id&gt;".</summary>
public sealed class TestEventConverter : IKafkaStreamMessageConverter
{
    // Not the application's "events": this silo also loads VisitorGrain, implicitly subscribed to that namespace.
    public const string Namespace = "kafka-test-events";

    public static byte[] Encode(string id) => Encoding.UTF8.GetBytes("evt:" + id);

    public KafkaStreamMessage? Convert(ConsumeResult<byte[], byte[]> message)
    {
        var value = Encoding.UTF8.GetString(message.Message.Value);
        if (!value.StartsWith("evt:", StringComparison.Ordinal))
        {
            throw new FormatException($"not a test event: '{value}'");
        }
        var key = Encoding.UTF8.GetString(message.Message.Key);
        return new KafkaStreamMessage(StreamId.Create(Namespace, key), [new TestEvent(value[4..])]);
    }
}
