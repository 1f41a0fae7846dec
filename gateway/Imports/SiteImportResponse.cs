using System.Globalization;
using System.Text.Json.Serialization;
using Analytics.GrainInterfaces.Imports;

namespace Analytics.Gateway.Imports;

/// <summary>An import job as the API shows it: what, how far, which rows were left out and why, the days it covers.</summary>
public sealed record SiteImportResponse(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("file_name")] string FileName,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("rows_total")] int RowsTotal,
    [property: JsonPropertyName("rows_done")] int RowsDone,
    [property: JsonPropertyName("rows_skipped")] int RowsSkipped,
    [property: JsonPropertyName("problems")] IReadOnlyList<string> Problems,
    [property: JsonPropertyName("start_date")] string? StartDate,
    [property: JsonPropertyName("end_date")] string? EndDate,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt,
    [property: JsonPropertyName("completed_at")] DateTime? CompletedAt)
{
    public static SiteImportResponse From(SiteImport i) =>
        new(i.Id, i.Source, i.FileName, i.Status, i.RowsTotal, i.RowsDone, i.RowsSkipped, i.Problems, Date(i.FirstDay), Date(i.LastDay), i.CreatedAt, i.CompletedAt);

    private static string? Date(int day) => day == 0 ? null : DateOnly.FromDayNumber(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
