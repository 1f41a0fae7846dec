using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Unicode;
using Analytics.Gateway.Enrichment;
using static Analytics.Gateway.Ga4.MpValidationCodes;

namespace Analytics.Gateway.Ga4;

/// <summary>
/// Reads and validates a GA4 Measurement Protocol body (client_id, user_id, timestamp_micros, user_properties, consent,
/// device, user_location, events[{name, params}]) against Google's documented limits and reserved names.
/// </summary>
public sealed class MpPayloadReader
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 16 };

    private readonly List<MpValidationMessage> _messages = [];
    private readonly DateTime _now;

    private MpPayloadReader(DateTime now) => _now = now;

    private IPAddress? _ipOverride;

    /// <summary>Reads a body; null stands for one longer than <see cref="Ga4Limits.MaxBodyBytes"/>.</summary>
    public static MpPayload Read(byte[]? body, DateTime now) => new MpPayloadReader(now).Parse(body);

    private MpPayload Parse(byte[]? body)
    {
        if (body is null)
        {
            return Fail("", $"The request body must be smaller than {Ga4Limits.MaxBodyBytes / 1000}kB.", ValueOutOfBounds);
        }

        if (!Utf8.IsValid(body))
        {
            return Fail("", "Unable to parse Measurement Protocol JSON payload: the body is not valid UTF-8.", ValueInvalid);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, Options);
        }
        catch (JsonException ex)
        {
            return Fail("", $"Unable to parse Measurement Protocol JSON payload. {ex.Message}", ValueInvalid);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Fail("", "The payload must be a JSON object.", ValueInvalid);
            }

            return new MpPayload(ReadRequest(root), _messages, _ipOverride);
        }
    }

    private List<Ga4Hit> ReadRequest(JsonElement root)
    {
        var requestOk = CheckDuplicates(root, "", "field");
        var clientId = RequiredString(root, "client_id", ref requestOk);
        var userId = OptionalString(root, "user_id", Ga4Limits.MaxUserIdLength, ref requestOk);
        var occurredAt = Timestamp(root, "timestamp_micros", ref requestOk);
        var userProperties = ReadUserProperties(root);
        ReadConsent(root);
        if (root.TryGetProperty("non_personalized_ads", out var npa) && npa.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
        {
            Add("non_personalized_ads", "non_personalized_ads must be a boolean.", ValueInvalid);
        }

        var device = ReadDevice(root, out var screenWidth);
        var country = ReadCountry(root);
        var region = country is null ? null : ReadRegion(root, country);
        if (root.TryGetProperty("ip_override", out var ip) && ip.ValueKind == JsonValueKind.String && IPAddress.TryParse(ip.GetString(), out var address))
        {
            _ipOverride = address;
        }

        if (!root.TryGetProperty("events", out var events) || events.ValueKind == JsonValueKind.Null)
        {
            Add("events", "The events field is required.", ValueRequired);
            return [];
        }

        if (events.ValueKind != JsonValueKind.Array)
        {
            Add("events", "events must be an array of events.", ValueInvalid);
            return [];
        }

        var count = events.GetArrayLength();
        if (count == 0)
        {
            Add("events", "events must contain at least one event.", ValueRequired);
            return [];
        }

        if (count > Ga4Limits.MaxEvents)
        {
            Add("events", $"A request can have at most {Ga4Limits.MaxEvents} events; it has {count}.", ExceededMaxEntities);
            return [];
        }

        var hits = new List<Ga4Hit>(count);
        var index = 0;
        foreach (var e in events.EnumerateArray())
        {
            if (ReadEvent(e, index++) is { } hit && requestOk)
            {
                hits.Add(hit with
                {
                    ClientId = clientId!,
                    UserId = userId,
                    UserProperties = userProperties,
                    OccurredAt = hit.OccurredAt ?? occurredAt,
                    Device = device,
                    ScreenWidth = screenWidth,
                    Country = country,
                    Region = region,
                });
            }
        }

        return requestOk ? hits : [];
    }

    private Ga4Hit? ReadEvent(JsonElement e, int index)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            Add("events", $"Event at index: [{index}] must be an object.", ValueInvalid);
            return null;
        }

        var ok = CheckDuplicates(e, "events", $"Event at index: [{index}] field");
        if (!e.TryGetProperty("name", out var nameElement) || nameElement.ValueKind == JsonValueKind.Null)
        {
            Add("events", $"Event at index: [{index}] has no name.", ValueRequired);
            return null;
        }

        if (nameElement.ValueKind != JsonValueKind.String)
        {
            Add("events", $"Event at index: [{index}] has a name that is not a string.", ValueInvalid);
            return null;
        }

        var name = nameElement.GetString()!;
        ok &= CheckName(name, "events", $"Event at index: [{index}]", Ga4Limits.MaxNameLength, Ga4Limits.ReservedEventNames);
        var occurredAt = Timestamp(e, "timestamp_micros", ref ok, "events");
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (e.TryGetProperty("params", out var p) && p.ValueKind != JsonValueKind.Null)
        {
            ok &= ReadParams(p, index, name, parameters);
        }

        return ok ? new Ga4Hit { Name = name, ClientId = "", Params = parameters, OccurredAt = occurredAt } : null;
    }

    private bool ReadParams(JsonElement p, int index, string eventName, Dictionary<string, string> parameters)
    {
        var where = $"Event at index: [{index}] [{eventName}]";
        if (p.ValueKind != JsonValueKind.Object)
        {
            Add("events.params", $"{where} has params that are not an object.", ValueInvalid);
            return false;
        }

        var ok = CheckDuplicates(p, "events.params", $"{where} param");
        var count = p.EnumerateObject().Count();
        if (count > Ga4Limits.MaxParams)
        {
            Add("events.params", $"{where} has {count} params; an event can have at most {Ga4Limits.MaxParams}.", ExceededMaxEntities);
            return false;
        }

        foreach (var param in p.EnumerateObject())
        {
            ok &= CheckName(param.Name, "events.params", $"{where} param", Ga4Limits.MaxNameLength, Ga4Limits.ReservedParamNames);
            if (param.Name == "items")
            {
                ok &= ReadItems(param.Value, where, parameters);
                continue;
            }

            switch (param.Value.ValueKind)
            {
                case JsonValueKind.String when param.Value.GetString()!.Length > Ga4Limits.MaxParamValueLength:
                    Add("events.params", $"{where} param [{param.Name}] has a value longer than {Ga4Limits.MaxParamValueLength} characters.", ValueOutOfBounds);
                    ok = false;
                    break;
                case JsonValueKind.String:
                    parameters[param.Name] = param.Value.GetString()!;
                    break;
                case JsonValueKind.Number when param.Value.TryGetDouble(out var number) && double.IsFinite(number):
                    parameters[param.Name] = param.Value.GetRawText();
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    parameters[param.Name] = param.Value.GetRawText();
                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    Add("events.params", $"{where} param [{param.Name}] must be a string, a number or a boolean.", ValueInvalid);
                    ok = false;
                    break;
            }
        }

        return ok;
    }

    /// <summary>Validates the items as Google does; valid ones become the <see cref="Ga4Items"/> props.</summary>
    private bool ReadItems(JsonElement items, string where, Dictionary<string, string> parameters)
    {
        if (items.ValueKind != JsonValueKind.Array || items.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.Object))
        {
            Add("events.params.items", $"{where} items must be an array of objects.", ValueInvalid);
            return false;
        }

        var ok = true;
        var index = 0;
        var summary = new List<(string? Id, string? Name)>();
        foreach (var item in items.EnumerateArray())
        {
            var itemWhere = $"{where} item at index: [{index++}]";
            summary.Add((ItemText(item, "item_id"), ItemText(item, "item_name")));
            ok &= CheckDuplicates(item, "events.params.items", $"{itemWhere} param");
            foreach (var param in item.EnumerateObject())
            {
                ok &= CheckName(param.Name, "events.params.items", $"{itemWhere} param", Ga4Limits.MaxNameLength, Ga4Limits.ReservedParamNames);
                if (param.Value.ValueKind == JsonValueKind.String && param.Value.GetString()!.Length > Ga4Limits.MaxParamValueLength)
                {
                    Add("events.params.items", $"{itemWhere} param [{param.Name}] has a value longer than {Ga4Limits.MaxParamValueLength} characters.", ValueOutOfBounds);
                    ok = false;
                }
                else if (param.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                {
                    Add("events.params.items", $"{itemWhere} param [{param.Name}] must be a string, a number or a boolean.", ValueInvalid);
                    ok = false;
                }
            }
        }

        if (ok)
        {
            Ga4Items.AddProps(parameters, summary);
        }

        return ok;
    }

    /// <summary>An item's id or name as text (a number in its JSON form), or null.</summary>
    private static string? ItemText(JsonElement item, string field) =>
        item.TryGetProperty(field, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    /// <summary>The valid user properties' values as text (a property Google would reject is left out; the event still counts).</summary>
    private Dictionary<string, string> ReadUserProperties(JsonElement root)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!root.TryGetProperty("user_properties", out var properties) || properties.ValueKind == JsonValueKind.Null)
        {
            return values;
        }

        if (properties.ValueKind != JsonValueKind.Object)
        {
            Add("user_properties", "user_properties must be an object.", ValueInvalid);
            return values;
        }

        CheckDuplicates(properties, "user_properties", "User property");
        var count = properties.EnumerateObject().Count();
        if (count > Ga4Limits.MaxUserProperties)
        {
            Add("user_properties", $"There are {count} user properties; at most {Ga4Limits.MaxUserProperties} are allowed.", ExceededMaxEntities);
            return values;
        }

        foreach (var property in properties.EnumerateObject())
        {
            var named = CheckName(property.Name, "user_properties", "User property", Ga4Limits.MaxUserPropertyNameLength, Ga4Limits.ReservedUserPropertyNames);
            if (property.Value.ValueKind != JsonValueKind.Object || !property.Value.TryGetProperty("value", out var value))
            {
                Add("user_properties", $"User property [{property.Name}] must be an object with a value.", ValueInvalid);
            }
            else if (value.ValueKind == JsonValueKind.String && value.GetString()!.Length > Ga4Limits.MaxUserPropertyValueLength)
            {
                Add("user_properties", $"User property [{property.Name}] has a value longer than {Ga4Limits.MaxUserPropertyValueLength} characters.", ValueOutOfBounds);
            }
            else if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                Add("user_properties", $"User property [{property.Name}] must have a string, number or boolean value.", ValueInvalid);
            }
            else if (named && value.ValueKind != JsonValueKind.Null)
            {
                values[property.Name] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            }
        }

        return values;
    }

    private void ReadConsent(JsonElement root)
    {
        if (!root.TryGetProperty("consent", out var consent) || consent.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (consent.ValueKind != JsonValueKind.Object)
        {
            Add("consent", "consent must be an object.", ValueInvalid);
            return;
        }

        foreach (var field in consent.EnumerateObject())
        {
            if (field.Name is "ad_user_data" or "ad_personalization"
                && (field.Value.ValueKind != JsonValueKind.String || field.Value.GetString() is not ("GRANTED" or "DENIED")))
            {
                Add($"consent.{field.Name}", $"consent.{field.Name} must be GRANTED or DENIED.", ValueInvalid);
            }
        }
    }

    private UserAgentInfo ReadDevice(JsonElement root, out int? screenWidth)
    {
        screenWidth = null;
        if (!root.TryGetProperty("device", out var device) || device.ValueKind != JsonValueKind.Object)
        {
            return new UserAgentInfo(UserAgentInfo.Unknown, "", UserAgentInfo.Unknown, "", UserAgentInfo.Unknown, IsBot: false);
        }

        string Text(string name, string fallback) =>
            device.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 and <= Ga4Limits.MaxParamValueLength } s ? s : fallback;

        screenWidth = Ga4Hit.WidthOf(Text("screen_resolution", ""));
        var category = Text("category", "").ToLowerInvariant() switch
        {
            "desktop" => "Desktop",
            "mobile" => "Mobile",
            "tablet" => "Tablet",
            _ => UserAgentInfo.Unknown,
        };
        return new UserAgentInfo(Text("browser", UserAgentInfo.Unknown), Text("browser_version", ""),
            Text("operating_system", UserAgentInfo.Unknown), Text("operating_system_version", ""), category, IsBot: false);
    }

    private static string? ReadCountry(JsonElement root) =>
        root.TryGetProperty("user_location", out var location) && location.ValueKind == JsonValueKind.Object
        && location.TryGetProperty("country_id", out var country) && country.ValueKind == JsonValueKind.String
        && country.GetString() is { Length: 2 } code && code.All(char.IsAsciiLetter)
            ? code.ToUpperInvariant()
            : null;

    /// <summary>user_location.region_id when it is an ISO 3166-2 code of the named country ("US-CA"); city names are not kept (cities are GeoNames ids).</summary>
    private static string? ReadRegion(JsonElement root, string country) =>
        root.GetProperty("user_location").TryGetProperty("region_id", out var region) && region.ValueKind == JsonValueKind.String
        && region.GetString() is { Length: >= 4 and <= 6 } code && code.StartsWith(country + "-", StringComparison.OrdinalIgnoreCase)
        && code[3..].All(char.IsAsciiLetterOrDigit)
            ? code.ToUpperInvariant()
            : null;

    private DateTime? Timestamp(JsonElement element, string field, ref bool ok, string parent = "")
    {
        if (!element.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var path = parent.Length == 0 ? field : $"{parent}.{field}";
        long micros;
        // int64 may come as a JSON number or, as protobuf's JSON mapping writes it, a string of digits.
        if (!(value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out micros))
            && !(value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out micros)))
        {
            Add(path, $"{field} must be a Unix time in microseconds.", ValueInvalid);
            ok = false;
            return null;
        }

        var at = micros is >= 0 and <= 253_402_300_799_999_999 ? DateTime.UnixEpoch.AddTicks(micros * 10) : DateTime.MinValue;
        if (at < _now - Ga4Limits.MaxEventAge || at > _now + Ga4Limits.MaxClockSkew)
        {
            Add(path, $"{field} must lie within the last {Ga4Limits.MaxEventAge.TotalHours:0} hours and not in the future.", ValueOutOfBounds);
            ok = false;
            return null;
        }

        return at;
    }

    private string? RequiredString(JsonElement root, string field, ref bool ok)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null || value is { ValueKind: JsonValueKind.String } && value.GetString()!.Length == 0)
        {
            Add(field, $"{field} is required.", ValueRequired);
            ok = false;
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Add(field, $"{field} must be a string.", ValueInvalid);
            ok = false;
            return null;
        }

        var text = value.GetString()!;
        if (text.Length > Ga4Limits.MaxUserIdLength || text.Any(char.IsControl))
        {
            Add(field, $"{field} must be at most {Ga4Limits.MaxUserIdLength} printable characters.", ValueOutOfBounds);
            ok = false;
            return null;
        }

        return text;
    }

    private string? OptionalString(JsonElement root, string field, int maxLength, ref bool ok)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Add(field, $"{field} must be a string.", ValueInvalid);
            ok = false;
            return null;
        }

        if (value.GetString()!.Length > maxLength)
        {
            Add(field, $"{field} must be at most {maxLength} characters.", ValueOutOfBounds);
            ok = false;
            return null;
        }

        return value.GetString();
    }

    /// <summary>Length, characters, reserved names and prefixes, in the order Google reports them.</summary>
    private bool CheckName(string name, string fieldPath, string what, int maxLength, IReadOnlySet<string> reserved)
    {
        if (name.Length > maxLength)
        {
            Add(fieldPath, $"{what} has a name longer than {maxLength} characters [{Shorten(name)}].", ValueOutOfBounds);
            return false;
        }

        if (!Ga4Limits.IsValidName(name))
        {
            Add(fieldPath, $"{what} has invalid name [{name}]. Names must start with an alphabetic character and contain only alphanumeric characters and underscores.", NameInvalid);
            return false;
        }

        if (reserved.Contains(name) || Ga4Limits.HasReservedPrefix(name))
        {
            Add(fieldPath, $"{what} has name [{name}] which is reserved.", NameReserved);
            return false;
        }

        return true;
    }

    private bool CheckDuplicates(JsonElement element, string fieldPath, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ok = true;
        foreach (var property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                Add(fieldPath, $"{what} [{Shorten(property.Name)}] is given more than once.", NameDuplicated);
                ok = false;
            }
        }

        return ok;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";

    private void Add(string fieldPath, string description, string code) => _messages.Add(new MpValidationMessage(fieldPath, description, code));

    private MpPayload Fail(string fieldPath, string description, string code)
    {
        Add(fieldPath, description, code);
        return new MpPayload([], _messages);
    }
}
