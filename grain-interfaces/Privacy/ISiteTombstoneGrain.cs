using Orleans.Concurrency;

namespace Analytics.GrainInterfaces.Privacy;

/// <summary>
/// Whether a site was erased (DELETE /api/sites/{domain}) and not registered again. Keyed by
/// <see cref="SiteTombstones.KeyOf"/> (a hash), so the mark left behind holds nothing that names the site. Visitor and
/// bucket activations ask it once when they start and then refuse to write, so late in-flight events of an erased site
/// cannot bring its data back.
/// </summary>
[Alias("ISiteTombstoneGrain")]
public interface ISiteTombstoneGrain : IGrainWithStringKey
{
    [Alias("IsErased"), ReadOnly]
    Task<bool> IsErasedAsync();

    [Alias("Mark")]
    Task MarkAsync();

    [Alias("Clear")]
    Task ClearAsync();
}
