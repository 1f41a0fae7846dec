using Analytics.GrainInterfaces.Goals;

namespace Analytics.Grains.Goals;

[GenerateSerializer, Alias("SiteGoalsState")]
public sealed class SiteGoalsState
{
    [Id(0)] public List<Goal> Goals { get; set; } = [];
    [Id(1)] public long LastId { get; set; }
    [Id(2)] public List<Funnel> Funnels { get; set; } = [];
    [Id(3)] public long LastFunnelId { get; set; }
}
