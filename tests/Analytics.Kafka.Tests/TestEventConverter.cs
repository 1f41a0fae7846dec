using System.Text;
using Analytics.Kafka.Streams;
using Confluent.Kafka;

namespace Analytics.Kafka.Tests;

/// <summary>The value "evt:&lt;id&gt;" is one test event; anything else is unreadable.</summary>
public sealed class TestEventConverter : IKafkaStreamMessageConverter
{
    public static byte[] Encode(string id) => Encoding.UTF8.GetBytes("evt:" + id);

    public IReadOnlyList<object>? Convert(ConsumeResult<byte[], byte[]> message)
    {
        var value = Encoding.UTF8.GetString(message.Message.Value);
        if (!value.StartsWith("evt:", StringComparison.Ordinal))
        {
            throw new FormatException($"not a test event: '{value}'");
        }
        return [new TestEvent(value[4..])];
    }
}
