using Orleans.Streams;

namespace Analytics.Kafka.Streams;

/// <summary>
/// Spreads a persistent stream provider's queues evenly over the silos that are Active in the membership
/// (<see cref="EvenQueueAssignment"/>) and moves them whenever that set changes: a join, a graceful stop, or a crash once
/// Orleans declared the silo dead. Orleans' balancers do not fit an autoscaled cluster: the consistent ring's hash ranges
/// come from the silos' addresses, so one silo can get none of 8 queues; the deployment balancers split over
/// <c>StaticClusterDeploymentOptions.SiloNames</c>, names fixed in configuration that autoscaled silos do not have (left
/// empty, no silo reads anything, and once mature each silo fails on names missing from that list); the lease balancer needs
/// a lease provider we do not have.
/// </summary>
public sealed partial class EvenQueueBalancer(IServiceProvider services, ILogger<EvenQueueBalancer> logger)
    : QueueBalancerBase(services, logger)
{
    private readonly IClusterMembershipService _membership = services.GetRequiredService<IClusterMembershipService>();
    private IReadOnlyList<QueueId> _queues = [];
    private volatile IReadOnlyList<QueueId> _mine = [];

    public static IStreamQueueBalancer Create(IServiceProvider services, string name) =>
        ActivatorUtilities.CreateInstance<EvenQueueBalancer>(services);

    public override Task Initialize(IStreamQueueMapper queueMapper)
    {
        ArgumentNullException.ThrowIfNull(queueMapper);
        _queues = [.. queueMapper.GetAllQueues()];
        Rebalance(ActiveSilos(_membership.CurrentSnapshot));
        return base.Initialize(queueMapper);
    }

    public override IEnumerable<QueueId> GetMyQueues() => _mine;

    protected override void OnClusterMembershipChange(HashSet<SiloAddress> activeSilos)
    {
        Rebalance(activeSilos);
        _ = NotifyAsync();
    }

    private static HashSet<SiloAddress> ActiveSilos(ClusterMembershipSnapshot snapshot) =>
        [.. snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress)];

    private void Rebalance(IReadOnlyCollection<SiloAddress> activeSilos)
    {
        // Not yet (or no longer) Active: the others do not count this silo, so it must not read anything either.
        _mine = EvenQueueAssignment.Assign(activeSilos, _queues).TryGetValue(SiloAddress, out var mine) ? mine : [];
        LogAssigned(_mine.Count, _queues.Count, activeSilos.Count);
    }

    private async Task NotifyAsync()
    {
        try
        {
            await NotifyListeners();
        }
        catch (Exception ex)
        {
            // A later membership change notifies again; the pulling manager logs its own failures.
            LogNotifyFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream queues: this silo reads {Mine} of {Total} with {Silos} active silos")]
    private partial void LogAssigned(int mine, int total, int silos);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifying the pulling manager of a new queue split failed")]
    private partial void LogNotifyFailed(Exception error);
}
