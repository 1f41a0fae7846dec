namespace Analytics.Silo.Hosting;

/// <summary>Analytics:Profile chooses how the process runs; configuration, never a code edit.</summary>
public static class Profiles
{
    public const string Key = "Analytics:Profile";
    public const string Embedded = "Embedded";
    public const string Cluster = "Cluster";

    public static bool IsCluster(this IConfiguration configuration) =>
        string.Equals(configuration[Key], Cluster, StringComparison.OrdinalIgnoreCase);
}
