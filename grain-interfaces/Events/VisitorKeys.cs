namespace Analytics.GrainInterfaces.Events;

/// <summary>"site|visitor": the key of a Kafka message and what picks an embedded log lane, so a visitor's events stay in one queue, in order.</summary>
public static class VisitorKeys
{
    public static string Create(string site, string visitorId) => string.Concat(site, "|", visitorId);

    public static (string Site, string VisitorId) Parse(string key)
    {
        var bar = key.IndexOf('|', StringComparison.Ordinal);
        if (bar <= 0)
        {
            throw new FormatException($"A visitor key is 'site|visitor', got '{key}'.");
        }

        return (key[..bar], key[(bar + 1)..]);
    }
}
