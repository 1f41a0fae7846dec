using Orleans.Streams;

namespace Analytics.Kafka.Streams;

/// <summary>
/// Which stream queues each active silo reads: every queue exactly one silo, each silo ⌊queues/silos⌋ or ⌈queues/silos⌉.
/// A function of the active silos and the queues alone, so every silo computes the same split from its membership view
/// without talking to the others. Queues go to the silo ranking them highest (rendezvous hashing) among those with room,
/// so a join or a departure moves few queues besides the ones that have to move.
/// </summary>
public static class EvenQueueAssignment
{
    public static IReadOnlyDictionary<SiloAddress, IReadOnlyList<QueueId>> Assign(IEnumerable<SiloAddress> activeSilos, IEnumerable<QueueId> queues)
    {
        var silos = activeSilos.Distinct().Order().ToList();
        var ordered = queues.Distinct().OrderBy(q => q.GetNumericId()).ThenBy(q => q.GetUniformHashCode()).ToList();
        var owned = silos.ToDictionary(s => s, _ => new List<QueueId>());
        if (silos.Count == 0)
        {
            return owned.ToDictionary(o => o.Key, o => (IReadOnlyList<QueueId>)o.Value);
        }

        var floor = ordered.Count / silos.Count;
        var withOneMore = ordered.Count % silos.Count;
        var full = 0;
        foreach (var queue in ordered)
        {
            // Up to `withOneMore` silos may reach floor + 1; once they have, the others stop at floor, so the counts add up exactly.
            var owner = silos
                .Where(s => owned[s].Count < (full < withOneMore ? floor + 1 : floor))
                .OrderByDescending(s => Score(s, queue))
                .ThenBy(s => s)
                .First();
            owned[owner].Add(queue);
            if (owned[owner].Count == floor + 1)
            {
                full++;
            }
        }
        return owned.ToDictionary(o => o.Key, o => (IReadOnlyList<QueueId>)o.Value);
    }

    /// <summary>Stable across processes: the silo's consistent hash (endpoint and generation) mixed with the queue's uniform hash.</summary>
    private static ulong Score(SiloAddress silo, QueueId queue)
    {
        var x = ((ulong)(uint)silo.GetConsistentHashCode() << 32) | queue.GetUniformHashCode();
        // SplitMix64's finalizer: neighbouring inputs get unrelated ranks.
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
