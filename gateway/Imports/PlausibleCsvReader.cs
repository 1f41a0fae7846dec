using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Analytics.GrainInterfaces.Imports;

namespace Analytics.Gateway.Imports;

/// <summary>
/// Reads Plausible's CSV export: the zip its dashboard produces (or one of its files), whose entries are named
/// imported_&lt;table&gt;_yyyyMMdd_yyyyMMdd.csv (or &lt;table&gt;_…) with a header row naming the columns. Columns are
/// found by name; a missing count column reads 0, a missing dimension column "". A row with a bad date or count is left
/// out and listed; the good rows are kept.
/// </summary>
public static partial class PlausibleCsvReader
{
    public static ParsedImport<ImportedRow> Read(byte[] upload, string fileName)
    {
        var problems = new ProblemList();
        var rows = new List<ImportedRow>();
        var files = 0;
        foreach (var (name, text) in Files(upload, fileName))
        {
            var table = TableOf(Path.GetFileName(name));
            if (table is null)
            {
                // Not one of the export's tables (a README, a folder): named, not fatal.
                problems.Add($"{name}: not one of Plausible's imported_<table>_yyyyMMdd_yyyyMMdd.csv files; skipped.");
                continue;
            }

            files++;
            ReadTable(name, table, text, rows, problems);
        }

        if (files == 0)
        {
            throw new ImportValidationException(
                "No Plausible export file found: upload the zip of its CSV export, holding imported_visitors_yyyyMMdd_yyyyMMdd.csv and the other imported_<table> files.");
        }

        return rows.Count > ISiteImportsGrain.MaxRows
            ? throw new ImportValidationException($"The export holds {rows.Count} rows; a site keeps at most {ISiteImportsGrain.MaxRows} imported rows.")
            : new ParsedImport<ImportedRow>(rows, problems.Listed, problems.Count);
    }

    private static IEnumerable<(string Name, TextReader Text)> Files(byte[] upload, string fileName)
    {
        if (fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            yield return (fileName, new StreamReader(new MemoryStream(upload), Encoding.UTF8));
            yield break;
        }

        ZipArchive zip;
        try
        {
            zip = new ZipArchive(new MemoryStream(upload), ZipArchiveMode.Read);
        }
        catch (InvalidDataException ex)
        {
            throw new ImportValidationException($"The upload is neither a zip nor a .csv file: {ex.Message}");
        }

        using (zip)
        {
            long total = 0;
            foreach (var entry in zip.Entries.Where(e => e.Length > 0 || e.Name.Length > 0))
            {
                total += entry.Length;
                if (total > ImportLimits.MaxUncompressedBytes)
                {
                    throw new ImportValidationException($"The zip unpacks to more than {ImportLimits.MaxUncompressedBytes / (1024 * 1024)} MB.");
                }

                // Read whole (bounded above), so a corrupt entry fails here and not half-way through the rows.
                string text;
                try
                {
                    using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
                    text = reader.ReadToEnd();
                }
                catch (InvalidDataException ex)
                {
                    throw new ImportValidationException($"The zip entry '{entry.FullName}' cannot be read: {ex.Message}");
                }

                yield return (entry.FullName, new StringReader(text));
            }
        }
    }

    private static ImportedTable? TableOf(string name)
    {
        var match = FileName().Match(name);
        if (!match.Success)
        {
            return null;
        }

        var table = match.Groups["table"].Value;
        return ImportedTable.Find(table.StartsWith("imported_", StringComparison.Ordinal) ? table : "imported_" + table);
    }

    private static void ReadTable(string file, ImportedTable table, TextReader text, List<ImportedRow> rows, ProblemList problems)
    {
        using var records = CsvRecords.Read(text).GetEnumerator();
        if (!records.MoveNext())
        {
            return;
        }

        var header = records.Current.Cells.Select(h => h.Trim()).ToList();
        var date = header.IndexOf("date");
        if (date < 0 || !header.Contains("visitors"))
        {
            throw new ImportValidationException($"{file} has no date and visitors columns: is it a Plausible export? Its header: {string.Join(",", header.Take(12))}.");
        }

        var dimensions = table.Columns.Select(c => header.IndexOf(c)).ToArray();
        var counts = ImportedTable.Counts.Select(c => table.CountColumns.TryGetValue(c, out var column) ? header.IndexOf(column) : -1).ToArray();
        while (records.MoveNext())
        {
            var (line, cells) = records.Current;
            if (cells is [""])
            {
                continue;
            }

            if (cells.Length != header.Count)
            {
                problems.Add(file, line, $"{cells.Length} cells where the header has {header.Count}.");
                continue;
            }

            if (!DateOnly.TryParseExact(cells[date], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                problems.Add(file, line, $"date '{Cut(cells[date])}' is not yyyy-MM-dd.");
                continue;
            }

            var values = new long[counts.Length];
            var bad = counts.Select((at, i) => at >= 0 && !long.TryParse(cells[at], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) ? header[at] : null)
                .FirstOrDefault(c => c is not null);
            if (bad is not null)
            {
                problems.Add(file, line, $"{bad} '{Cut(cells[header.IndexOf(bad)])}' is not a whole number ≥ 0.");
                continue;
            }

            rows.Add(new ImportedRow
            {
                Table = table.Name,
                Day = day.DayNumber,
                Values = [.. dimensions.Select(at => at >= 0 ? cells[at] : string.Empty)],
                Visitors = values[0], Visits = values[1], Pageviews = values[2], Bounces = values[3], VisitDuration = values[4], Events = values[5],
            });
        }
    }

    private static string Cut(string value) => value.Length > 40 ? value[..40] + "…" : value;

    [GeneratedRegex(@"^(?<table>[a-z_]+?)_\d{8}_\d{8}\.csv$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();
}
