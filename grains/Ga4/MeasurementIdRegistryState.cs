namespace Analytics.Grains.Ga4;

[GenerateSerializer, Alias("MeasurementIdRegistryState")]
public sealed class MeasurementIdRegistryState
{
    /// <summary>Measurement id → the site's domain.</summary>
    [Id(0)] public Dictionary<string, string> Sites { get; set; } = new(StringComparer.Ordinal);
}
