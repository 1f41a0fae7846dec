namespace Analytics.GrainInterfaces.Goals;

/// <summary>
/// A conversion goal of a site, as Plausible defines one: a custom event (<see cref="EventName"/>, optionally only when it
/// carries all of <see cref="CustomProps"/>, optionally a revenue goal in <see cref="Currency"/>), or a page
/// (<see cref="PagePath"/> with <c>*</c>/<c>**</c> wildcards), optionally reached only when scrolled to
/// <see cref="ScrollThreshold"/> percent.
/// </summary>
[GenerateSerializer, Immutable, Alias("Goal")]
public sealed record Goal
{
    /// <summary>Unique within the site; never reused after a delete.</summary>
    [Id(0)] public long Id { get; init; }
    [Id(1)] public required string DisplayName { get; init; }
    [Id(2)] public string? EventName { get; init; }
    [Id(3)] public string? PagePath { get; init; }
    /// <summary>-1 for none, else 0–100 (page goals only).</summary>
    [Id(4)] public int ScrollThreshold { get; init; } = -1;
    [Id(5)] public IReadOnlyDictionary<string, string> CustomProps { get; init; } = new Dictionary<string, string>();
    /// <summary>ISO 4217 code of a revenue goal (event goals only).</summary>
    [Id(6)] public string? Currency { get; init; }
    [Id(7)] public DateTime CreatedAt { get; init; }

    /// <summary>"event", "page" or "scroll", as Plausible's API names the kinds.</summary>
    public string Type => EventName is not null ? "event" : ScrollThreshold > -1 ? "scroll" : "page";

    /// <summary>Two goals are the same goal when they count the same thing (Plausible's uniqueness rules).</summary>
    public bool SameTarget(Goal other) => EventName is not null
        ? other.EventName == EventName && PropsEqual(other.CustomProps, CustomProps)
        : other.EventName is null && other.PagePath == PagePath && other.ScrollThreshold == ScrollThreshold;

    private static bool PropsEqual(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);
}
