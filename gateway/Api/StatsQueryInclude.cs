using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Analytics.Gateway.Api;

/// <summary>Part of <see cref="StatsQueryRequest"/>: what the answer includes besides its rows.</summary>
public sealed record StatsQueryInclude(
    [property: JsonPropertyName("total_rows"), Description("Accepted; meta.total_rows is always present.")] bool? TotalRows,
    [property: JsonPropertyName("time_labels"), Description("Every bucket label of the range in meta.time_labels (needs a time dimension).")] bool? TimeLabels,
    [property: JsonPropertyName("comparisons"), Description(
        "{\"mode\": \"previous_period\" | \"year_over_year\"} or {\"mode\": \"custom\", \"date_range\": [from, to]}: each row gets comparison {dimensions, metrics, change}.")]
    StatsQueryComparisons? Comparisons,
    [property: JsonPropertyName("imports"), Description(
        "Add the site's imported aggregates (Plausible CSV imports) where one imported table answers the query; meta.imports_included says whether they were, meta.imports_warning why not.")]
    bool? Imports);
