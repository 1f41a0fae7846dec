using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Privacy;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace Analytics.Grains.Privacy;

[StatelessWorker]
public sealed class RawEventExportGrain : Grain, IRawEventExportGrain
{
    public IAsyncEnumerable<TrackedEvent> ReadAsync(string site, DateTime fromUtc, DateTime toUtc) =>
        ServiceProvider.GetRequiredService<ISiteDataStore>().ReadRawEventsAsync(site, fromUtc, toUtc, CancellationToken.None);
}
