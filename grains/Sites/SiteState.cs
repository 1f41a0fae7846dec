using Analytics.GrainInterfaces.Sites;

namespace Analytics.Grains.Sites;

[GenerateSerializer, Alias("SiteState")]
public sealed class SiteState
{
    [Id(0)] public SiteSettings? Settings { get; set; }
}
