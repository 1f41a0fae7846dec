using System.Text.Json.Serialization;
using Analytics.GrainInterfaces.Goals;

namespace Analytics.Gateway.Goals;

/// <summary>A goal as Plausible's Sites API shows it (id, goal_type, event_name, page_path, display_name, custom_props, domain), plus ours.</summary>
public sealed record GoalResponse(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("domain")] string Domain,
    [property: JsonPropertyName("goal_type")] string GoalType,
    [property: JsonPropertyName("display_name")] string DisplayName,
    [property: JsonPropertyName("event_name")] string? EventName,
    [property: JsonPropertyName("page_path")] string? PagePath,
    [property: JsonPropertyName("scroll_threshold")] int ScrollThreshold,
    [property: JsonPropertyName("custom_props")] IReadOnlyDictionary<string, string> CustomProps,
    [property: JsonPropertyName("currency")] string? Currency)
{
    public static GoalResponse From(string domain, Goal g) =>
        new(g.Id, domain, g.Type, g.DisplayName, g.EventName, g.PagePath, g.ScrollThreshold, g.CustomProps, g.Currency);
}
