using System.Reflection;
using System.Text;
using System.Text.Json;
using Analytics.GrainInterfaces.Events;

namespace Analytics.Tests.Contracts;

/// <summary>
/// The embedded log's binary rows against the JSON envelope: the same event read back from either, whatever properties
/// the contract has; every malformed row an <see cref="InvalidDataException"/>, never another error or a wrong event.
/// </summary>
public sealed class BinaryEventEnvelopeTests
{
    private static readonly DateTime Received = new(2026, 3, 10, 12, 0, 1, DateTimeKind.Utc);

    [Fact]
    public void Every_property_of_an_event_survives_the_round_trip()
    {
        var e = EventEnvelopeTests.EveryPropertySet();
        var envelope = EventEnvelope.For(e, Received);

        var read = BinaryEventEnvelope.Read(BinaryEventEnvelope.ToBytes(envelope));

        foreach (var property in typeof(TrackedEvent).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null))
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

        // The JSON of what was read is the JSON of what was written: nothing the contract has is left out.
        Assert.Equal(envelope.ToUtf8Bytes(), read.ToUtf8Bytes());
    }

    [Fact]
    public void Nulls_empties_defaults_and_a_differing_envelope_id_are_kept()
    {
        var e = EventEnvelope.FromUtf8Bytes(Encoding.UTF8.GetBytes(EventEnvelopeTests.Minimal().ToJsonString())).Event with
        {
            Referrer = null,
            OsVersion = "",
            Props = new Dictionary<string, string>(),
            Interactive = false,
            EngagementMs = -5,
            ScrollDepth = 0,
            RevenueAmount = -0.000001m,
            Timestamp = new DateTime(2026, 3, 10, 12, 0, 0, DateTimeKind.Unspecified),
            Pathname = "/café/" + new string('x', 300) + "/\u2028",
        };
        var envelope = new EventEnvelope { Id = Guid.NewGuid(), ReceivedAt = new DateTime(2026, 3, 10, 12, 0, 1, DateTimeKind.Local), Event = e };

        var read = BinaryEventEnvelope.Read(BinaryEventEnvelope.ToBytes(envelope));

        Assert.Equal((envelope.Id, envelope.ReceivedAt, envelope.ReceivedAt.Kind), (read.Id, read.ReceivedAt, read.ReceivedAt.Kind));
        Assert.Equal(DateTimeKind.Unspecified, read.Event.Timestamp.Kind);
        Assert.Null(read.Event.Referrer);
        Assert.Equal("", read.Event.OsVersion);
        Assert.Empty(read.Event.Props!);
        Assert.Equal((false, -5L, 0, -0.000001m, e.Pathname), (read.Event.Interactive, read.Event.EngagementMs, read.Event.ScrollDepth, read.Event.RevenueAmount, read.Event.Pathname));
        Assert.Equal(envelope.ToUtf8Bytes(), read.ToUtf8Bytes());
    }

    [Fact]
    public void Either_form_is_read_by_its_first_byte()
    {
        var envelope = EventEnvelope.For(EventEnvelopeTests.EveryPropertySet(), Received);
        var json = envelope.ToUtf8Bytes();
        var binary = BinaryEventEnvelope.ToBytes(envelope);

        Assert.False(BinaryEventEnvelope.IsBinary(json));
        Assert.Equal(json, EventEnvelope.FromBytes(json).ToUtf8Bytes());
        Assert.Equal(json, EventEnvelope.FromBytes(binary).ToUtf8Bytes());
    }

    [Fact]
    public void A_typical_row_is_under_half_its_JSON()
    {
        var envelope = EventEnvelope.FromUtf8Bytes(Encoding.UTF8.GetBytes(EventEnvelopeTests.Minimal().ToJsonString()));

        var (json, binary) = (envelope.ToUtf8Bytes().Length, BinaryEventEnvelope.ToBytes(envelope).Length);

        Assert.True(binary * 2 < json, $"binary {binary} bytes, JSON {json}");
    }

    [Fact]
    public void Every_truncation_and_any_trailing_byte_is_InvalidDataException()
    {
        var row = BinaryEventEnvelope.ToBytes(EventEnvelope.For(EventEnvelopeTests.EveryPropertySet(), Received));

        for (var length = 0; length < row.Length; length++)
        {
            var error = Record.Exception(() => BinaryEventEnvelope.Read(row.AsSpan(0, length)));
            Assert.True(error is InvalidDataException, $"{length} of {row.Length} bytes: {error?.GetType().Name ?? "no error"}");
        }

        Assert.IsType<InvalidDataException>(Record.Exception(() => BinaryEventEnvelope.Read([.. row, 0])));
    }

    [Theory]
    [InlineData("a length running over the row", 0x7F)]
    [InlineData("a varint of more than 64 bits", 0xFF)]
    public void A_corrupt_length_is_InvalidDataException(string name, byte fill)
    {
        var row = BinaryEventEnvelope.ToBytes(EventEnvelope.For(EventEnvelopeTests.EveryPropertySet(), Received));
        // The engaged milliseconds' varint follows the fixed part (format, flags, id, two times): from there on, all fill.
        var corrupt = row.ToArray();
        corrupt.AsSpan(2 + 16 + 16).Fill(fill);

        var error = Record.Exception(() => BinaryEventEnvelope.Read(corrupt));

        Assert.True(error is InvalidDataException, $"{name}: {error?.GetType().Name ?? "no error"}");
    }

    /// <summary>Rows already written are read by later builds: a change of this layout must take a new format byte.</summary>
    [Fact]
    public void The_layout_of_format_1_is_pinned()
    {
        var e = EventEnvelope.FromUtf8Bytes(Encoding.UTF8.GetBytes(EventEnvelopeTests.Minimal().ToJsonString())).Event with
        {
            Referrer = "news.ycombinator.com",
            UtmCampaign = "launch",
            Props = new Dictionary<string, string> { ["plan"] = "pro" },
            RevenueAmount = 12.5m,
            RevenueCurrency = "EUR",
            ScrollDepth = 60,
            EngagementMs = 1500,
            Interactive = false,
        };
        var envelope = new EventEnvelope { Id = Guid.Parse("0193d2a4-5c1e-7000-8000-000000000001"), ReceivedAt = Received, Event = e };

        Assert.Equal(PinnedRow, Convert.ToHexString(BinaryEventEnvelope.ToBytes(envelope)));
        Assert.Equal(envelope.ToUtf8Bytes(), BinaryEventEnvelope.Read(Convert.FromHexString(PinnedRow)).ToUtf8Bytes());
    }

    private const string PinnedRow =
        "011F3B90FD9F28C46B4EAAEE7CF7F6B377CEA4D293011E5C007080000000000000018076DC8E9C7EDE4887B6568E9C7E" +
        "DE48B8170C6578616D706C652E636F6D0376310E4575726F70652F4265726C696E0970616765766965770C6578616D70" +
        "6C652E636F6D022F156E6577732E79636F6D62696E61746F722E636F6D0E446972656374202F204E6F6E650000076C61" +
        "756E6368034445084465736B746F700846697265666F78063132312E30064C696E757801000445555200000000000105" +
        "706C616E0470726F7D00000000000000000000000000010078";

    [Theory]
    [InlineData("an unknown flag", 1, 0x20)]
    [InlineData("no format byte", 0, 0x7B)]
    public void A_row_with_an_unknown_byte_where_the_layout_has_a_known_one_is_InvalidDataException(string name, int at, byte value)
    {
        var row = BinaryEventEnvelope.ToBytes(EventEnvelope.For(EventEnvelopeTests.EveryPropertySet(), Received));
        row[at] |= value;

        Assert.True(Record.Exception(() => BinaryEventEnvelope.Read(row)) is InvalidDataException, name);
    }

    [Fact]
    public void A_prop_named_twice_is_InvalidDataException()
    {
        var e = EventEnvelope.FromUtf8Bytes(Encoding.UTF8.GetBytes(EventEnvelopeTests.Minimal().ToJsonString())).Event with
        {
            Props = new Dictionary<string, string> { ["aa"] = "1", ["ab"] = "2" },
        };
        var row = BinaryEventEnvelope.ToBytes(EventEnvelope.For(e, Received));
        // The second name's last byte made the first's: "aa" twice.
        var second = row.AsSpan().LastIndexOf("ab"u8);
        row[second + 1] = (byte)'a';

        Assert.IsType<InvalidDataException>(Record.Exception(() => BinaryEventEnvelope.Read(row)));
    }

    [Fact]
    public void A_JSON_envelope_is_not_taken_for_a_row()
    {
        var error = Record.Exception(() => BinaryEventEnvelope.Read(Encoding.UTF8.GetBytes(EventEnvelopeTests.Minimal().ToJsonString())));

        Assert.IsType<InvalidDataException>(error);
        Assert.IsType<JsonException>(Record.Exception(() => EventEnvelope.FromBytes("{\"v\":1}"u8)));
    }
}
