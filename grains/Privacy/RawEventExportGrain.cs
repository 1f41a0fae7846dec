using Analytics.GrainInterfaces.Events;
using Analytics.GrainInterfaces.Privacy;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Grains.Privacy;

public sealed class RawEventExportGrain : Grain, IRawEventExportGrain
{
    public IAsyncEnumerable<TrackedEvent> ReadAsync(string site, DateTime fromUtc, DateTime toUtc) =>
        ServiceProvider.GetRequiredService<ISiteDataStore>().ReadRawEventsAsync(site, fromUtc, toUtc, CancellationToken.None);
}
