using Analytics.GrainInterfaces.Goals;

namespace Analytics.Grains.Goals;

[GenerateSerializer, Alias("SiteGoalsState")]
public sealed class SiteGoalsState
{
    [Id(0)] public List<Goal> Goals { get; set; } = [];
    [Id(1)] public long LastId { get; set; }
}
