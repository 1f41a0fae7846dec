using System.Buffers;

namespace Analytics.Gateway.Export;

/// <summary>
/// Writes RFC 4180 CSV (CRLF line ends; a cell with a comma, quote or line break is quoted, quotes doubled) that is
/// also safe to open in a spreadsheet: a cell starting with = + - @, tab or CR gets a leading apostrophe, as OWASP
/// advises against CSV injection, so no cell is ever read as a formula.
/// </summary>
public sealed class CsvWriter(TextWriter writer)
{
    private static readonly SearchValues<char> FormulaStarts = SearchValues.Create("=+-@\t\r");
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");

    public async Task WriteRowAsync(IEnumerable<string?> cells)
    {
        var first = true;
        foreach (var cell in cells)
        {
            if (!first)
            {
                await writer.WriteAsync(',');
            }

            await writer.WriteAsync(Escape(cell));
            first = false;
        }

        await writer.WriteAsync("\r\n");
    }

    public static string Escape(string? cell)
    {
        if (string.IsNullOrEmpty(cell))
        {
            return string.Empty;
        }

        if (FormulaStarts.Contains(cell[0]))
        {
            cell = "'" + cell;
        }

        return cell.AsSpan().ContainsAny(NeedsQuotes) ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
    }
}
