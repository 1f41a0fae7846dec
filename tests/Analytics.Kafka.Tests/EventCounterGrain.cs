using Analytics.GrainInterfaces.Events;
using Orleans.Streams;

namespace Analytics.Kafka.Tests;

/// <summary>
/// Stands in for a lane: implicitly subscribed to the lane streams, it takes each delivered container in one batch call,
/// applies an event only when its own offset is past the last one applied (as a lane gates by its checkpoint), and writes
/// its state once per batch. The test events are one per message, so an offset names one event.
/// </summary>
[ImplicitStreamSubscription(StreamNames.Lanes)]
public sealed class EventCounterGrain([PersistentState("counter")] IPersistentState<EventCounterState> state) : Grain, IEventCounterGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stream = this.GetStreamProvider(KafkaTestSilo.ProviderName)
            .GetStream<TestEvent>(StreamId.Create(StreamNames.Lanes, this.GetPrimaryKeyString()));
        await stream.SubscribeAsync(OnNextBatchAsync);
    }

    public Task<LaneCounts> GetCountsAsync(string idPrefix)
    {
        var counter = state.State;
        var events = counter.Ids.Count(id => id.StartsWith(idPrefix, StringComparison.Ordinal));
        return Task.FromResult(new LaneCounts(events, counter.Duplicates, counter.Batches, counter.OutOfOrder));
    }

    private async Task OnNextBatchAsync(IList<SequentialItem<TestEvent>> batch)
    {
        var counter = state.State;
        counter.Batches++;
        var previous = long.MinValue;
        foreach (var item in batch)
        {
            var offset = item.Token.SequenceNumber;
            if (offset <= previous)
            {
                counter.OutOfOrder++;
            }

            previous = offset;
            if (offset <= counter.LastOffset)
            {
                // Redelivered after a restart or a move: already applied.
                continue;
            }

            if (!counter.Ids.Add(item.Item.Id))
            {
                counter.Duplicates++;
            }

            counter.LastOffset = offset;
        }

        await state.WriteStateAsync();
    }
}
