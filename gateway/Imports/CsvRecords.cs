using System.Text;

namespace Analytics.Gateway.Imports;

/// <summary>
/// RFC 4180 records from CSV text: quoted cells may hold commas, quotes (doubled) and line breaks; CRLF or LF ends a
/// record. Each record comes with the line it starts on, for problem messages.
/// </summary>
public static class CsvRecords
{
    public static IEnumerable<(int Line, string[] Cells)> Read(TextReader reader)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var line = 1;
        var start = 1;
        var quoted = false;
        var any = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            any = true;
            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        cell.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    cell.Append((char)c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when cell.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\n':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    yield return (start, [.. cells]);
                    cells.Clear();
                    any = false;
                    start = ++line;
                    break;
                default:
                    cell.Append((char)c);
                    break;
            }
        }

        if (any)
        {
            cells.Add(cell.ToString());
            yield return (start, [.. cells]);
        }
    }

    /// <summary>
    /// A cell as it was before our export escaped it (CsvWriter): a leading apostrophe before = + - @, tab or CR is the
    /// escape, not data.
    /// </summary>
    public static string Unescape(string cell) =>
        cell.Length > 1 && cell[0] == '\'' && cell[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? cell[1..] : cell;
}
