namespace Analytics.Grains.Privacy;

[GenerateSerializer, Alias("SiteTombstoneState")]
public sealed class SiteTombstoneState
{
    [Id(0)] public bool Erased { get; set; }
}
