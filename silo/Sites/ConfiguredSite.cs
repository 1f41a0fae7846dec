namespace Analytics.Silo.Sites;

/// <summary>A site registered from configuration (Analytics:Sites), e.g. the embedded profile's demo site.</summary>
public sealed class ConfiguredSite
{
    public string Domain { get; set; } = string.Empty;
    public string Timezone { get; set; } = "Etc/UTC";
    public bool Cookieless { get; set; }
    public List<string> AllowedHostnames { get; set; } = [];
    public bool RespectDoNotTrack { get; set; }
}
