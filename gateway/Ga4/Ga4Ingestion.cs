using Analytics.Abstractions.Ingestion;
using Analytics.Gateway.Ingestion;
using Analytics.GrainInterfaces.Events;

namespace Analytics.Gateway.Ga4;

/// <summary>
/// Puts GA4 events through the same ingestion pipeline as Plausible beacons (bot, spam, unknown-site and hostname drops,
/// enrichment, visitor id) and into the same event sink, so they are counted by the same rules.
/// </summary>
public sealed class Ga4Ingestion(IngestionPipeline pipeline, IEventSink sink, SiteDropLog drops, TimeProvider time)
{
    /// <summary>Throws <see cref="EventSinkUnavailableException"/> when the events cannot be made durable.</summary>
    public async Task<Ga4IngestResult> IngestAsync(string domain, IReadOnlyList<Ga4Hit> hits, Ga4Sender sender, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // write_to_sink leaves each event here: a request over its site's limit part-way writes none of them.
        var accepted = new List<EventEnvelope>(hits.Count);
        DropReason? firstDrop = null;
        foreach (var hit in hits)
        {
            var context = new IngestionContext
            {
                Beacon = hit.ToBeacon(domain),
                UserAgent = sender.UserAgent,
                ClientIp = sender.ClientIp,
                ReceivedAt = now,
                DoNotTrack = sender.DoNotTrack,
                Agent = hit.Device,
                Country = hit.Country ?? IngestionContext.UnknownValue,
                Region = hit.Region,
                Deferred = accepted,
            };
            if (await pipeline.RunAsync(context, cancellationToken) is { } reason)
            {
                if (reason is DropReason.SiteRateLimited)
                {
                    return new Ga4IngestResult(0, firstDrop, context.RetryAfter);
                }

                firstDrop ??= reason;
                drops.Record(context, reason);
                continue;
            }
        }

        // One request's events are appended together, so the log's group commit takes them in one write.
        await Task.WhenAll(accepted.Select(e => sink.AppendAsync(e, cancellationToken).AsTask()));
        return new Ga4IngestResult(accepted.Count, firstDrop, null);
    }
}
