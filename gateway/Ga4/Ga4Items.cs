using System.Globalization;

namespace Analytics.Gateway.Ga4;

/// <summary>
/// An ecommerce event's items (purchase, add_to_cart, view_item, …) as props the Stats API can break down and filter:
/// <c>item_count</c> (how many items), <c>item_ids</c> and <c>item_names</c> (their item_id / item_name values, in
/// order, joined by ", "; cut to the props' value bound by the pipeline). Other item fields are not kept.
/// </summary>
public static class Ga4Items
{
    public const string Count = "item_count";
    public const string Ids = "item_ids";
    public const string Names = "item_names";

    /// <summary>Adds the props for these items (each an item's item_id and item_name, either may be missing).</summary>
    public static void AddProps(IDictionary<string, string> parameters, IReadOnlyList<(string? Id, string? Name)> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        parameters[Count] = items.Count.ToString(CultureInfo.InvariantCulture);
        if (Join(items.Select(i => i.Id)) is { } ids)
        {
            parameters[Ids] = ids;
        }

        if (Join(items.Select(i => i.Name)) is { } names)
        {
            parameters[Names] = names;
        }
    }

    private static string? Join(IEnumerable<string?> values) =>
        string.Join(", ", values.Where(v => !string.IsNullOrEmpty(v))) is { Length: > 0 } joined ? joined : null;
}
