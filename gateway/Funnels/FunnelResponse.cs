using System.Text.Json.Serialization;
using Analytics.GrainInterfaces.Goals;

namespace Analytics.Gateway.Funnels;

/// <summary>A funnel as configured: its steps are goals, named as the goals are.</summary>
public sealed record FunnelResponse(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("steps")] IReadOnlyList<FunnelStepResponse> Steps)
{
    public static FunnelResponse From(Funnel funnel, IReadOnlyList<Goal> goals) =>
        new(funnel.Id, funnel.Name, [.. funnel.GoalIds.Select(id => new FunnelStepResponse(id, goals.FirstOrDefault(g => g.Id == id)?.DisplayName ?? string.Empty))]);
}

public sealed record FunnelStepResponse(
    [property: JsonPropertyName("goal_id")] long GoalId,
    [property: JsonPropertyName("label")] string Label);
