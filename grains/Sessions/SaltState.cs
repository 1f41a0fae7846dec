namespace Analytics.Grains.Sessions;

[GenerateSerializer, Alias("SaltState")]
public sealed class SaltState
{
    [Id(0)] public byte[]? Salt { get; set; }
}
