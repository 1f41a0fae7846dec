using Orleans.Streams;

namespace Analytics.Kafka.Tests;

/// <summary>Counts events by id, so a redelivery (Kafka is at-least-once) counts nothing twice.</summary>
[ImplicitStreamSubscription(TestEventConverter.Namespace)]
public sealed class EventCounterGrain([PersistentState("counter")] IPersistentState<EventCounterState> state) : Grain, IEventCounterGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stream = this.GetStreamProvider(KafkaTestSilo.ProviderName)
            .GetStream<TestEvent>(StreamId.Create(TestEventConverter.Namespace, this.GetPrimaryKeyString()));
        await stream.SubscribeAsync(OnNextAsync);
    }

    public Task<int> GetCountAsync() => Task.FromResult(state.State.Ids.Count);

    private async Task OnNextAsync(TestEvent item, StreamSequenceToken? token)
    {
        if (state.State.Ids.Add(item.Id))
        {
            await state.WriteStateAsync();
        }
    }
}
