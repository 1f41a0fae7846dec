using System.Globalization;
using Analytics.GrainInterfaces.Goals;

namespace Analytics.Gateway.Goals;

/// <summary>
/// Plausible's goal rules: an event name (not "engagement", at most 120 characters) or a page path (a leading "/" is
/// added), a scroll threshold of -1 or 0–100 for page goals only, at most 3 custom props (keys 1–300, values 1–2000
/// characters) and a currency (ISO 4217) for event goals only; the display name defaults to the event name or
/// "Visit /path". Every refusal says what to change.
/// </summary>
public static class GoalValidator
{
    public const int MaxEventNameLength = 120;
    public const int MaxCustomProps = 3;
    public const int MaxPropKeyLength = 300;
    public const int MaxPropValueLength = 2000;
    public const int MaxDisplayNameLength = 120;

    private static readonly Lazy<HashSet<string>> Currencies = new(() =>
        [.. CultureInfo.GetCultures(CultureTypes.SpecificCultures)
            .Select(c => { try { return new RegionInfo(c.Name).ISOCurrencySymbol; } catch (ArgumentException) { return null; } })
            .Where(c => c is { Length: 3 })
            .Select(c => c!)]);

    /// <summary>The goal to store (without id), or the reason it cannot be.</summary>
    public static (Goal? Goal, string? Error) Validate(GoalFields fields)
    {
        if (fields.TypeError is { } typeError)
        {
            return (null, typeError);
        }

        var type = fields.GoalType?.Trim().ToLowerInvariant();
        if (type is not (null or "" or "event" or "page"))
        {
            return (null, $"goal_type must be \"event\" or \"page\", not '{fields.GoalType}'.");
        }

        var eventName = Blank(fields.EventName) ? null : fields.EventName!.Trim();
        var pagePath = Blank(fields.PagePath) ? null : fields.PagePath!.Trim();
        (eventName, pagePath) = type switch
        {
            "event" => (eventName, null),
            "page" => (null, pagePath),
            _ => (eventName, eventName is null ? pagePath : null),
        };

        if (eventName is null && pagePath is null)
        {
            return (null, type == "page"
                ? "page_path is required for a page goal, e.g. \"/thank-you\" or \"/blog/**\"."
                : type == "event" ? "event_name is required for an event goal, e.g. \"Signup\"."
                : "A goal needs an event_name (a custom event, e.g. \"Signup\") or a page_path (e.g. \"/thank-you\").");
        }

        return eventName is not null ? EventGoal(fields, eventName) : PageGoal(fields, pagePath!);
    }

    private static (Goal?, string?) EventGoal(GoalFields fields, string eventName)
    {
        if (eventName == "engagement")
        {
            return (null, "The event name 'engagement' is reserved and cannot be used as a goal.");
        }

        if (eventName.Length > MaxEventNameLength)
        {
            return (null, $"event_name is at most {MaxEventNameLength} characters.");
        }

        if (!Blank(fields.ScrollThreshold) && fields.ScrollThreshold!.Trim() != "-1")
        {
            return (null, "scroll_threshold applies to page goals only.");
        }

        var props = fields.CustomProps ?? new Dictionary<string, string>();
        if (props.Count > MaxCustomProps)
        {
            return (null, $"custom_props: use at most {MaxCustomProps} properties per goal.");
        }

        if (props.Any(p => p.Key.Length is 0 or > MaxPropKeyLength || p.Value.Length is 0 or > MaxPropValueLength))
        {
            return (null, $"custom_props: keys are 1–{MaxPropKeyLength} characters, values 1–{MaxPropValueLength}.");
        }

        string? currency = null;
        if (!Blank(fields.Currency))
        {
            currency = fields.Currency!.Trim().ToUpperInvariant();
            if (!Currencies.Value.Contains(currency))
            {
                return (null, $"currency must be an ISO 4217 code such as EUR or USD, not '{fields.Currency}'.");
            }
        }

        return Named(fields, new Goal { DisplayName = eventName, EventName = eventName, CustomProps = props, Currency = currency });
    }

    private static (Goal?, string?) PageGoal(GoalFields fields, string pagePath)
    {
        if (!Blank(fields.Currency) || fields.CustomProps is { Count: > 0 })
        {
            return (null, "currency and custom_props apply to event goals only.");
        }

        var threshold = -1;
        if (!Blank(fields.ScrollThreshold)
            && (!GoalFields.TryParseThreshold(fields.ScrollThreshold!.Trim(), out threshold) || threshold is < -1 or > 100))
        {
            return (null, "scroll_threshold should be -1 (none) or a percentage from 0 to 100.");
        }

        var path = pagePath.StartsWith('/') ? pagePath : "/" + pagePath;
        if (path.Length > 2000)
        {
            return (null, "page_path is at most 2000 characters.");
        }

        var name = threshold > -1 ? $"Scroll {threshold}% on {path}" : $"Visit {path}";
        return Named(fields, new Goal { DisplayName = name, PagePath = path, ScrollThreshold = threshold });
    }

    private static (Goal?, string?) Named(GoalFields fields, Goal goal)
    {
        if (Blank(fields.DisplayName))
        {
            return (goal, null);
        }

        var name = fields.DisplayName!.Trim();
        return name.Length > MaxDisplayNameLength
            ? (null, $"display_name is at most {MaxDisplayNameLength} characters.")
            : (goal with { DisplayName = name }, null);
    }

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);
}
