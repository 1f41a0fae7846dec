using System.ComponentModel.DataAnnotations;

namespace Analytics.Abstractions.Hosting;

/// <summary>Where a cluster-profile process finds the cluster (Analytics:Cluster); the ports and address are the silo's own.</summary>
public sealed class ClusterProfileOptions
{
    public const string SectionName = "Analytics:Cluster";

    [Required] public string ClusterId { get; set; } = "analytics";
    [Required] public string ServiceId { get; set; } = "analytics";
    /// <summary>Redis for Orleans membership (StackExchange.Redis configuration string).</summary>
    [Required] public string RedisConnectionString { get; set; } = "127.0.0.1:6379";
    /// <summary>The address other silos and clients reach this silo at.</summary>
    [Required] public string AdvertisedAddress { get; set; } = "127.0.0.1";
    [Range(1, 65535)] public int SiloPort { get; set; } = 11111;
    [Range(1, 65535)] public int GatewayPort { get; set; } = 30000;
    /// <summary>
    /// Silos only: running as Kubernetes pods (deploy/k8s). Adds Microsoft.Orleans.Hosting.Kubernetes, which takes the
    /// cluster/service ids and the pod address from the pod (ORLEANS_CLUSTER_ID, ORLEANS_SERVICE_ID, POD_IP, ...) and
    /// removes silos whose pods are gone. Off for local runs.
    /// </summary>
    public bool Kubernetes { get; set; }
}
