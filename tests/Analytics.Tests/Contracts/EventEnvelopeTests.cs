using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Analytics.GrainInterfaces.Events;

namespace Analytics.Tests.Contracts;

/// <summary>
/// The envelope's reader (hand-written for speed) against what it must agree with: the envelope's own writer, and
/// System.Text.Json reading the same documents independently.
/// </summary>
public sealed class EventEnvelopeTests
{
    private static readonly DateTime Received = new(2026, 3, 10, 12, 0, 1, DateTimeKind.Utc);

    /// <summary>The serializer as it would read the envelope without the hand-written reader: the independent reference.</summary>
    private static readonly JsonSerializerOptions Reference = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly string[] RequiredEventProperties =
        ["id", "site", "visitor_id", "timestamp", "timezone", "name", "hostname", "pathname", "source", "country", "device", "browser", "browser_version", "os", "os_version"];

    [Fact]
    public void Every_property_of_an_event_survives_the_round_trip()
    {
        var e = EveryPropertySet();
        var bytes = EventEnvelope.For(e, Received).ToUtf8Bytes();

        var read = EventEnvelope.FromUtf8Bytes(bytes);

        foreach (var property in typeof(TrackedEvent).GetProperties().Where(p => p.SetMethod is not null))
        {
            var (expected, actual) = (property.GetValue(e), property.GetValue(read.Event));
            if (expected is IReadOnlyDictionary<string, string> props)
            {
                Assert.Equal(props.OrderBy(p => p.Key), ((IReadOnlyDictionary<string, string>)actual!).OrderBy(p => p.Key));
            }
            else
            {
                Assert.True(Equals(expected, actual), $"{property.Name}: wrote {expected}, read {actual}");
            }
        }

        Assert.Equal((e.Id, Received), (read.Id, read.ReceivedAt));
        Assert.Equal(bytes, read.ToUtf8Bytes());
    }

    [Fact]
    public void Repeated_attribute_values_are_one_string_and_many_distinct_ones_all_read_right()
    {
        static TrackedEvent ReadWith(string pathname, string browser) =>
            EventEnvelope.FromUtf8Bytes(Encoding.UTF8.GetBytes(With(d => { d["event"]!["pathname"] = pathname; d["event"]!["browser"] = browser; }))).Event;

        var first = ReadWith("/pricing", "Firefox");
        var second = ReadWith("/pricing", "Firefox");
        Assert.Same(first.Pathname, second.Pathname);
        Assert.Same(first.Browser, second.Browser);

        // Far more distinct values than the pool keeps, and some longer than it keeps: each still reads as written.
        var tail = new string('x', 300);
        for (var i = 0; i < 40_000; i++)
        {
            var page = i % 7 == 0 ? $"/long/{i}/{tail}" : $"/page/{i}";
            Assert.Equal(page, ReadWith(page, "Firefox").Pathname);
        }

        Assert.Equal("/pricing", ReadWith("/pricing", "Firefox").Pathname);
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void It_reads_what_System_Text_Json_reads(string name, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        var ours = EventEnvelope.FromUtf8Bytes(bytes);
        var theirs = JsonSerializer.Deserialize<EventEnvelope>(bytes, Reference)!;

        Assert.True(theirs.ToUtf8Bytes().AsSpan().SequenceEqual(ours.ToUtf8Bytes()), $"{name}: {Encoding.UTF8.GetString(ours.ToUtf8Bytes())}");
    }

    public static TheoryData<string, string> Documents()
    {
        var minimal = Minimal();
        var full = JsonNode.Parse(EventEnvelope.For(EveryPropertySet(), Received).ToUtf8Bytes())!.AsObject();
        var shuffled = new JsonObject(full.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        var escaped = Minimal();
        escaped["event"]!["pathname"] = "/café \"quoted\" \\ back\u2028";
        escaped["event"]!["props"] = new JsonObject { ["plan \"x\""] = "pro\n", ["empty"] = null };
        var unknown = Minimal();
        unknown["extra"] = new JsonArray(1, new JsonObject { ["deep"] = new JsonArray() });
        unknown["event"]!["future_field"] = new JsonObject { ["a"] = 1 };
        var nulls = Minimal();
        foreach (var optional in new[] { "referrer", "utm_source", "screen_size", "props", "revenue_amount", "scroll_depth", "session_id", "city" })
        {
            nulls["event"]![optional] = null;
        }

        var escapedName = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(minimal.ToJsonString()).AsSpan()).Replace("\"pathname\"", "\"path\\u006eame\"", StringComparison.Ordinal);
        return new()
        {
            { "minimal", minimal.ToJsonString() },
            { "every property", full.ToJsonString() },
            { "properties in reverse order", shuffled.ToJsonString() },
            { "escaped strings", escaped.ToJsonString() },
            { "unknown properties", unknown.ToJsonString() },
            { "explicit nulls", nulls.ToJsonString() },
            { "escaped property name", escapedName },
            { "whitespace", minimal.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) },
        };
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_envelope_is_a_JsonException(string name, string json)
    {
        var error = Record.Exception(() => EventEnvelope.FromUtf8Bytes(Encoding.UTF8.GetBytes(json)));
        Assert.True(error is JsonException, $"{name}: {error?.GetType().Name ?? "no error"}");
    }

    public static TheoryData<string, string> Malformed()
    {
        var data = new TheoryData<string, string>();
        foreach (var property in RequiredEventProperties)
        {
            var document = Minimal();
            document["event"]!.AsObject().Remove(property);
            data.Add($"no event.{property}", document.ToJsonString());
        }

        foreach (var property in new[] { "id", "received_at", "event" })
        {
            var document = Minimal();
            document.Remove(property);
            data.Add($"no {property}", document.ToJsonString());
        }

        data.Add("a later version", With(d => d["v"] = 2));
        data.Add("a number for an id", With(d => d["event"]!["id"] = 5));
        data.Add("text for a time", With(d => d["event"]!["timestamp"] = "yesterday"));
        data.Add("null for an id", With(d => d["event"]!["id"] = null));
        data.Add("text for a number", With(d => d["event"]!["engagement_ms"] = "12"));
        data.Add("a string for props", With(d => d["event"]!["props"] = "plan=pro"));
        data.Add("content after the object", Minimal().ToJsonString() + " {}");
        data.Add("truncated", Minimal().ToJsonString()[..40]);
        data.Add("an array", "[]");
        data.Add("empty", "");
        return data;
    }

    private static string With(Action<JsonObject> change)
    {
        var document = Minimal();
        change(document);
        return document.ToJsonString();
    }

    internal static JsonObject Minimal() => new()
    {
        ["v"] = 1,
        ["id"] = "9ffd903b-c428-4e6b-aaee-7cf7f6b377ce",
        ["received_at"] = "2026-03-10T12:00:01Z",
        ["event"] = new JsonObject
        {
            ["id"] = "9ffd903b-c428-4e6b-aaee-7cf7f6b377ce",
            ["site"] = "example.com",
            ["visitor_id"] = "v1",
            ["timestamp"] = "2026-03-10T12:00:00.1234567Z",
            ["timezone"] = "Europe/Berlin",
            ["name"] = "pageview",
            ["hostname"] = "example.com",
            ["pathname"] = "/",
            ["source"] = "Direct / None",
            ["country"] = "DE",
            ["device"] = "Desktop",
            ["browser"] = "Firefox",
            ["browser_version"] = "121.0",
            ["os"] = "Linux",
            ["os_version"] = "",
        },
    };

    /// <summary>An event with every settable property given a value other than its default, whatever properties the contract has.</summary>
    internal static TrackedEvent EveryPropertySet()
    {
        var e = (TrackedEvent)RuntimeHelpers.GetUninitializedObject(typeof(TrackedEvent));
        var n = 0;
        foreach (var property in typeof(TrackedEvent).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null))
        {
            n++;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            object value = type switch
            {
                _ when type == typeof(string) => $"{property.Name}-{n}",
                _ when type == typeof(Guid) => Guid.NewGuid(),
                _ when type == typeof(DateTime) => new DateTime(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc).AddTicks(n),
                _ when type == typeof(bool) => !(bool)(property.GetValue(new TrackedEventDefaults().Event) ?? false),
                _ when type == typeof(long) => 1000L + n,
                _ when type == typeof(int) => 10 + n,
                _ when type == typeof(decimal) => 12.34m + n,
                _ when type == typeof(IReadOnlyDictionary<string, string>) => new Dictionary<string, string> { ["plan"] = "pro", ["seats"] = "5" },
                _ => throw new InvalidOperationException($"TrackedEvent.{property.Name} is of a type this test does not know: teach it, and the envelope's reader."),
            };
            property.SetValue(e, value);
        }

        return e;
    }

    /// <summary>A default event, for the defaults of its bool properties.</summary>
    private sealed class TrackedEventDefaults
    {
        public TrackedEvent Event { get; } = new()
        {
            Id = Guid.Empty, Site = "", VisitorId = "", Timestamp = default, Timezone = "", Name = "", Hostname = "", Pathname = "",
            Source = "", Country = "", Device = "", Browser = "", BrowserVersion = "", Os = "", OsVersion = "",
        };
    }
}
