using System.Text;
using System.Text.Json;
using CommunityToolkit.HighPerformance.Buffers;

namespace Analytics.GrainInterfaces.Events;

/// <summary>
/// Reads the envelope's JSON (what <see cref="EventEnvelope.ToUtf8Bytes"/> writes) with a <see cref="Utf8JsonReader"/>
/// straight into a <see cref="TrackedEvent"/>, as System.Text.Json would (snake_case names, unknown properties skipped,
/// a missing required property an error), at a fraction of its cost: every event of the log is read this way, and the
/// source-generated serializer goes through its constructor-argument path for init-only properties. Attributes that
/// repeat across events (site, browser, country, page...) come from a shared pool instead of a new string each.
/// </summary>
internal static class EventEnvelopeReader
{
    /// <summary>Bounded (a value displaced by another of the same hash is simply made again): high-cardinality values cannot grow it.</summary>
    private static readonly StringPool Pool = new(8192);

    public static EventEnvelope Read(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return ReadEnvelope(utf8);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            // A value of the wrong kind (a string where a number belongs, null for a required id): malformed, as the serializer says.
            throw new JsonException(ex.Message, ex);
        }
    }

    private static EventEnvelope ReadEnvelope(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        Expect(ref reader, JsonTokenType.StartObject);
        int? version = null;
        Guid? id = null;
        DateTime? receivedAt = null;
        TrackedEvent? e = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("v"u8))
            {
                reader.Read();
                version = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = reader.GetGuid();
            }
            else if (reader.ValueTextEquals("received_at"u8))
            {
                reader.Read();
                receivedAt = reader.GetDateTime();
            }
            else if (reader.ValueTextEquals("event"u8))
            {
                reader.Read();
                e = reader.TokenType == JsonTokenType.Null ? null : ReadEvent(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.Read())
        {
            throw new JsonException("The event envelope has content after its object.");
        }

        return new EventEnvelope
        {
            Version = version ?? EventEnvelope.CurrentVersion,
            Id = id ?? throw Missing("id"),
            ReceivedAt = receivedAt ?? throw Missing("received_at"),
            Event = e ?? throw Missing("event"),
        };
    }

    private static TrackedEvent ReadEvent(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"The envelope's event must be an object, not {reader.TokenType}.");
        }

        var f = default(Fields);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            // Names are written plain; an escaped one is matched by its text.
            ReadOnlySpan<byte> name = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
            reader.Read();
            Read(ref reader, ref f, name);
        }

        return new TrackedEvent
        {
            Id = f.Id ?? throw Missing("event.id"),
            Site = f.Has(Field.Site) ? f.Site! : throw Missing("event.site"),
            VisitorId = f.Has(Field.VisitorId) ? f.VisitorId! : throw Missing("event.visitor_id"),
            Timestamp = f.Timestamp ?? throw Missing("event.timestamp"),
            Timezone = f.Has(Field.Timezone) ? f.Timezone! : throw Missing("event.timezone"),
            Name = f.Has(Field.Name) ? f.Name! : throw Missing("event.name"),
            Hostname = f.Has(Field.Hostname) ? f.Hostname! : throw Missing("event.hostname"),
            Pathname = f.Has(Field.Pathname) ? f.Pathname! : throw Missing("event.pathname"),
            Referrer = f.Referrer,
            Source = f.Has(Field.Source) ? f.Source! : throw Missing("event.source"),
            UtmSource = f.UtmSource,
            UtmMedium = f.UtmMedium,
            UtmCampaign = f.UtmCampaign,
            Country = f.Has(Field.Country) ? f.Country! : throw Missing("event.country"),
            Device = f.Has(Field.Device) ? f.Device! : throw Missing("event.device"),
            Browser = f.Has(Field.Browser) ? f.Browser! : throw Missing("event.browser"),
            BrowserVersion = f.Has(Field.BrowserVersion) ? f.BrowserVersion! : throw Missing("event.browser_version"),
            Os = f.Has(Field.Os) ? f.Os! : throw Missing("event.os"),
            OsVersion = f.Has(Field.OsVersion) ? f.OsVersion! : throw Missing("event.os_version"),
            ScreenSize = f.ScreenSize,
            Interactive = f.Interactive ?? true,
            EngagementMs = f.EngagementMs,
            Props = f.Props,
            RevenueAmount = f.RevenueAmount,
            RevenueCurrency = f.RevenueCurrency,
            SessionId = f.SessionId,
            ScrollDepth = f.ScrollDepth,
            UtmContent = f.UtmContent,
            UtmTerm = f.UtmTerm,
            Region = f.Region,
            City = f.City,
        };
    }

    private static void Read(ref Utf8JsonReader reader, ref Fields f, ReadOnlySpan<byte> name)
    {
        switch (name)
        {
            case var _ when name.SequenceEqual("id"u8): f.Id = reader.GetGuid(); break;
            case var _ when name.SequenceEqual("site"u8): f.Site = Pooled(ref reader); f.Seen |= Field.Site; break;
            case var _ when name.SequenceEqual("visitor_id"u8): f.VisitorId = reader.GetString(); f.Seen |= Field.VisitorId; break;
            case var _ when name.SequenceEqual("timestamp"u8): f.Timestamp = reader.GetDateTime(); break;
            case var _ when name.SequenceEqual("timezone"u8): f.Timezone = Pooled(ref reader); f.Seen |= Field.Timezone; break;
            case var _ when name.SequenceEqual("name"u8): f.Name = Pooled(ref reader); f.Seen |= Field.Name; break;
            case var _ when name.SequenceEqual("hostname"u8): f.Hostname = Pooled(ref reader); f.Seen |= Field.Hostname; break;
            case var _ when name.SequenceEqual("pathname"u8): f.Pathname = Pooled(ref reader); f.Seen |= Field.Pathname; break;
            case var _ when name.SequenceEqual("referrer"u8): f.Referrer = reader.GetString(); break;
            case var _ when name.SequenceEqual("source"u8): f.Source = Pooled(ref reader); f.Seen |= Field.Source; break;
            case var _ when name.SequenceEqual("utm_source"u8): f.UtmSource = Pooled(ref reader); break;
            case var _ when name.SequenceEqual("utm_medium"u8): f.UtmMedium = Pooled(ref reader); break;
            case var _ when name.SequenceEqual("utm_campaign"u8): f.UtmCampaign = Pooled(ref reader); break;
            case var _ when name.SequenceEqual("country"u8): f.Country = Pooled(ref reader); f.Seen |= Field.Country; break;
            case var _ when name.SequenceEqual("device"u8): f.Device = Pooled(ref reader); f.Seen |= Field.Device; break;
            case var _ when name.SequenceEqual("browser"u8): f.Browser = Pooled(ref reader); f.Seen |= Field.Browser; break;
            case var _ when name.SequenceEqual("browser_version"u8): f.BrowserVersion = Pooled(ref reader); f.Seen |= Field.BrowserVersion; break;
            case var _ when name.SequenceEqual("os"u8): f.Os = Pooled(ref reader); f.Seen |= Field.Os; break;
            case var _ when name.SequenceEqual("os_version"u8): f.OsVersion = Pooled(ref reader); f.Seen |= Field.OsVersion; break;
            case var _ when name.SequenceEqual("screen_size"u8): f.ScreenSize = Pooled(ref reader); break;
            case var _ when name.SequenceEqual("interactive"u8): f.Interactive = reader.GetBoolean(); break;
            case var _ when name.SequenceEqual("engagement_ms"u8): f.EngagementMs = reader.GetInt64(); break;
            case var _ when name.SequenceEqual("props"u8): f.Props = ReadProps(ref reader); break;
            case var _ when name.SequenceEqual("revenue_amount"u8): f.RevenueAmount = reader.TokenType == JsonTokenType.Null ? null : reader.GetDecimal(); break;
            case var _ when name.SequenceEqual("revenue_currency"u8): f.RevenueCurrency = Pooled(ref reader); break;
            case var _ when name.SequenceEqual("session_id"u8): f.SessionId = reader.GetString(); break;
            case var _ when name.SequenceEqual("scroll_depth"u8): f.ScrollDepth = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt32(); break;
            case var _ when name.SequenceEqual("utm_content"u8): f.UtmContent = Pooled(ref reader); break;
            case var _ when name.SequenceEqual("utm_term"u8): f.UtmTerm = Pooled(ref reader); break;
            case var _ when name.SequenceEqual("region"u8): f.Region = Pooled(ref reader); break;
            case var _ when name.SequenceEqual("city"u8): f.City = Pooled(ref reader); break;
            default: reader.Skip(); break;
        }
    }

    private static Dictionary<string, string>? ReadProps(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"The event's props must be an object, not {reader.TokenType}.");
        }

        var props = new Dictionary<string, string>();
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var key = reader.ValueIsEscaped ? reader.GetString()! : Pool.GetOrAdd(reader.ValueSpan, Encoding.UTF8);
            reader.Read();
            props[key] = Pooled(ref reader)!;
        }

        return props;
    }

    /// <summary>A string value from the pool (null for JSON null); escaped text is unescaped first.</summary>
    private static string? Pooled(ref Utf8JsonReader reader) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String when !reader.ValueIsEscaped => Pool.GetOrAdd(reader.ValueSpan, Encoding.UTF8),
            _ => reader.GetString(),
        };

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("The envelope ends before its object does.");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (Next(ref reader) != type)
        {
            throw new JsonException($"An event envelope must be a JSON object, not {reader.TokenType}.");
        }
    }

    private static JsonException Missing(string name) => new($"The event envelope lacks its required property '{name}'.");

    [Flags]
    private enum Field
    {
        Site = 1,
        VisitorId = 1 << 1,
        Timezone = 1 << 2,
        Name = 1 << 3,
        Hostname = 1 << 4,
        Pathname = 1 << 5,
        Source = 1 << 6,
        Country = 1 << 7,
        Device = 1 << 8,
        Browser = 1 << 9,
        BrowserVersion = 1 << 10,
        Os = 1 << 11,
        OsVersion = 1 << 12,
    }

    /// <summary>The event's properties as read so far; required strings that may be JSON null are known present by <see cref="Seen"/>.</summary>
    private struct Fields
    {
        public Field Seen;
        public Guid? Id;
        public string? Site;
        public string? VisitorId;
        public DateTime? Timestamp;
        public string? Timezone;
        public string? Name;
        public string? Hostname;
        public string? Pathname;
        public string? Referrer;
        public string? Source;
        public string? UtmSource;
        public string? UtmMedium;
        public string? UtmCampaign;
        public string? Country;
        public string? Device;
        public string? Browser;
        public string? BrowserVersion;
        public string? Os;
        public string? OsVersion;
        public string? ScreenSize;
        public bool? Interactive;
        public long EngagementMs;
        public Dictionary<string, string>? Props;
        public decimal? RevenueAmount;
        public string? RevenueCurrency;
        public string? SessionId;
        public int? ScrollDepth;
        public string? UtmContent;
        public string? UtmTerm;
        public string? Region;
        public string? City;

        public readonly bool Has(Field field) => (Seen & field) != 0;
    }
}
