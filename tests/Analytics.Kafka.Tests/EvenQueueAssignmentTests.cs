using System.Net;
using Analytics.Kafka.Streams;
using Orleans.Streams;

namespace Analytics.Kafka.Tests;

public sealed class EvenQueueAssignmentTests
{
    private static readonly KafkaStreamQueueMapper Mapper = new(KafkaTestSilo.ProviderName, 8);

    private static SiloAddress Silo(int port, int generation = 1) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), generation);

    private static List<SiloAddress> Silos(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Silo(random.Next(10_000, 60_000), random.Next(1, int.MaxValue)))];
    }

    [Theory]
    [InlineData(8, 1)]
    [InlineData(8, 2)]
    [InlineData(8, 3)]
    [InlineData(8, 5)]
    [InlineData(8, 8)]
    [InlineData(8, 11)]
    [InlineData(10, 4)]
    [InlineData(32, 7)]
    [InlineData(1, 3)]
    public void Every_queue_has_exactly_one_silo_and_every_silo_floor_or_ceiling_of_the_share(int partitions, int silos)
    {
        var queues = new KafkaStreamQueueMapper("p", partitions).GetAllQueues().ToList();
        // Many different address sets: the split must not depend on lucky hashes (the consistent ring's did).
        for (var seed = 0; seed < 200; seed++)
        {
            var active = Silos(silos, seed);
            var split = EvenQueueAssignment.Assign(active, queues);

            Assert.Equal(active.ToHashSet(), split.Keys.ToHashSet());
            var assigned = split.Values.SelectMany(q => q).ToList();
            Assert.Equal(queues.Count, assigned.Count);
            Assert.Equal(queues.ToHashSet(), assigned.ToHashSet());
            Assert.All(split.Values, mine => Assert.InRange(mine.Count, partitions / silos, (partitions + silos - 1) / silos));
        }
    }

    [Fact]
    public void Every_silo_computes_the_same_split_whatever_order_it_sees_the_members_in()
    {
        var active = Silos(3, seed: 42);
        var queues = Mapper.GetAllQueues().ToList();
        var expected = EvenQueueAssignment.Assign(active, queues);

        var reversed = EvenQueueAssignment.Assign(Enumerable.Reverse(active), Enumerable.Reverse(queues));

        Assert.Equal(Describe(expected), Describe(reversed));
    }

    [Fact]
    public void A_restarted_silo_is_a_new_member_and_the_dead_incarnation_owns_nothing()
    {
        var queues = Mapper.GetAllQueues().ToList();
        var old = Silo(11111, generation: 1);
        var restarted = Silo(11111, generation: 2);

        var split = EvenQueueAssignment.Assign([restarted, Silo(11112)], queues);

        Assert.False(split.ContainsKey(old));
        Assert.Equal(4, split[restarted].Count);
    }

    [Fact]
    public void No_active_silo_means_no_owner()
    {
        Assert.Empty(EvenQueueAssignment.Assign([], Mapper.GetAllQueues()));
    }

    [Fact]
    public void A_join_or_a_departure_moves_fewer_queues_than_reassigning_them_all()
    {
        // Rendezvous ranking keeps most queues where they were; a round-robin over sorted silos would move most of them.
        var queues = Mapper.GetAllQueues().ToList();
        var moved = 0;
        const int trials = 200;
        for (var seed = 0; seed < trials; seed++)
        {
            var four = Silos(4, seed);
            var three = four.Take(3).ToList();
            var before = Owners(EvenQueueAssignment.Assign(three, queues));
            var after = Owners(EvenQueueAssignment.Assign(four, queues));
            moved += queues.Count(q => before[q] != after[q]);
        }
        // A fourth silo must take 2 of 8; on average little more than that moves.
        Assert.InRange(moved / (double)trials, 2, 3.5);
    }

    private static Dictionary<QueueId, SiloAddress> Owners(IReadOnlyDictionary<SiloAddress, IReadOnlyList<QueueId>> split) =>
        split.SelectMany(s => s.Value.Select(q => (q, s.Key))).ToDictionary(p => p.q, p => p.Key);

    private static string Describe(IReadOnlyDictionary<SiloAddress, IReadOnlyList<QueueId>> split) =>
        string.Join("; ", split.OrderBy(s => s.Key).Select(s => $"{s.Key}: {string.Join(',', s.Value.Select(KafkaStreamQueueMapper.PartitionOf).Order())}"));
}
