using System.Text;
using System.Text.Json;

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
        switch (PropertyOf(name))
        {
            case Property.Id: f.Id = reader.GetGuid(); break;
            case Property.Site: f.Site = Pooled(ref reader); f.Seen |= Field.Site; break;
            case Property.VisitorId: f.VisitorId = reader.GetString(); f.Seen |= Field.VisitorId; break;
            case Property.Timestamp: f.Timestamp = reader.GetDateTime(); break;
            case Property.Timezone: f.Timezone = Pooled(ref reader); f.Seen |= Field.Timezone; break;
            case Property.Name: f.Name = Pooled(ref reader); f.Seen |= Field.Name; break;
            case Property.Hostname: f.Hostname = Pooled(ref reader); f.Seen |= Field.Hostname; break;
            case Property.Pathname: f.Pathname = Pooled(ref reader); f.Seen |= Field.Pathname; break;
            case Property.Referrer: f.Referrer = reader.GetString(); break;
            case Property.Source: f.Source = Pooled(ref reader); f.Seen |= Field.Source; break;
            case Property.UtmSource: f.UtmSource = Pooled(ref reader); break;
            case Property.UtmMedium: f.UtmMedium = Pooled(ref reader); break;
            case Property.UtmCampaign: f.UtmCampaign = Pooled(ref reader); break;
            case Property.Country: f.Country = Pooled(ref reader); f.Seen |= Field.Country; break;
            case Property.Device: f.Device = Pooled(ref reader); f.Seen |= Field.Device; break;
            case Property.Browser: f.Browser = Pooled(ref reader); f.Seen |= Field.Browser; break;
            case Property.BrowserVersion: f.BrowserVersion = Pooled(ref reader); f.Seen |= Field.BrowserVersion; break;
            case Property.Os: f.Os = Pooled(ref reader); f.Seen |= Field.Os; break;
            case Property.OsVersion: f.OsVersion = Pooled(ref reader); f.Seen |= Field.OsVersion; break;
            case Property.ScreenSize: f.ScreenSize = Pooled(ref reader); break;
            case Property.Interactive: f.Interactive = reader.GetBoolean(); break;
            case Property.EngagementMs: f.EngagementMs = reader.GetInt64(); break;
            case Property.Props: f.Props = ReadProps(ref reader); break;
            case Property.RevenueAmount: f.RevenueAmount = reader.TokenType == JsonTokenType.Null ? null : reader.GetDecimal(); break;
            case Property.RevenueCurrency: f.RevenueCurrency = Pooled(ref reader); break;
            case Property.SessionId: f.SessionId = reader.GetString(); break;
            case Property.ScrollDepth: f.ScrollDepth = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt32(); break;
            case Property.UtmContent: f.UtmContent = Pooled(ref reader); break;
            case Property.UtmTerm: f.UtmTerm = Pooled(ref reader); break;
            case Property.Region: f.Region = Pooled(ref reader); break;
            case Property.City: f.City = Pooled(ref reader); break;
            default: reader.Skip(); break;
        }
    }

    /// <summary>
    /// The event property a name stands for, by its length first: at most five names share one, where a chain of all
    /// thirty-one comparisons cost ~16 per property (~3 % of the warm drain's samples went to finding names).
    /// </summary>
    private static Property PropertyOf(ReadOnlySpan<byte> name) =>
        name.Length switch
        {
            2 => name.SequenceEqual("id"u8) ? Property.Id : name.SequenceEqual("os"u8) ? Property.Os : Property.Unknown,
            4 => name.SequenceEqual("site"u8) ? Property.Site : name.SequenceEqual("name"u8) ? Property.Name : name.SequenceEqual("city"u8) ? Property.City : Property.Unknown,
            5 => name.SequenceEqual("props"u8) ? Property.Props : Property.Unknown,
            6 => name.SequenceEqual("source"u8) ? Property.Source : name.SequenceEqual("device"u8) ? Property.Device : name.SequenceEqual("region"u8) ? Property.Region : Property.Unknown,
            7 => name.SequenceEqual("country"u8) ? Property.Country : name.SequenceEqual("browser"u8) ? Property.Browser : Property.Unknown,
            8 => name.SequenceEqual("pathname"u8) ? Property.Pathname : name.SequenceEqual("hostname"u8) ? Property.Hostname : name.SequenceEqual("referrer"u8) ? Property.Referrer
                : name.SequenceEqual("timezone"u8) ? Property.Timezone : name.SequenceEqual("utm_term"u8) ? Property.UtmTerm : Property.Unknown,
            9 => name.SequenceEqual("timestamp"u8) ? Property.Timestamp : Property.Unknown,
            10 => name.SequenceEqual("visitor_id"u8) ? Property.VisitorId : name.SequenceEqual("os_version"u8) ? Property.OsVersion : name.SequenceEqual("session_id"u8) ? Property.SessionId
                : name.SequenceEqual("utm_source"u8) ? Property.UtmSource : name.SequenceEqual("utm_medium"u8) ? Property.UtmMedium : Property.Unknown,
            11 => name.SequenceEqual("interactive"u8) ? Property.Interactive : name.SequenceEqual("screen_size"u8) ? Property.ScreenSize : name.SequenceEqual("utm_content"u8) ? Property.UtmContent : Property.Unknown,
            12 => name.SequenceEqual("scroll_depth"u8) ? Property.ScrollDepth : name.SequenceEqual("utm_campaign"u8) ? Property.UtmCampaign : Property.Unknown,
            13 => name.SequenceEqual("engagement_ms"u8) ? Property.EngagementMs : Property.Unknown,
            14 => name.SequenceEqual("revenue_amount"u8) ? Property.RevenueAmount : Property.Unknown,
            15 => name.SequenceEqual("browser_version"u8) ? Property.BrowserVersion : Property.Unknown,
            16 => name.SequenceEqual("revenue_currency"u8) ? Property.RevenueCurrency : Property.Unknown,
            _ => Property.Unknown,
        };

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
            var key = reader.ValueIsEscaped ? reader.GetString()! : Utf8StringPool.Shared.GetOrAdd(reader.ValueSpan);
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
            JsonTokenType.String when !reader.ValueIsEscaped => Utf8StringPool.Shared.GetOrAdd(reader.ValueSpan),
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

    private enum Property
    {
        Unknown,
        Id,
        Site,
        VisitorId,
        Timestamp,
        Timezone,
        Name,
        Hostname,
        Pathname,
        Referrer,
        Source,
        UtmSource,
        UtmMedium,
        UtmCampaign,
        Country,
        Device,
        Browser,
        BrowserVersion,
        Os,
        OsVersion,
        ScreenSize,
        Interactive,
        EngagementMs,
        Props,
        RevenueAmount,
        RevenueCurrency,
        SessionId,
        ScrollDepth,
        UtmContent,
        UtmTerm,
        Region,
        City,
    }

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
