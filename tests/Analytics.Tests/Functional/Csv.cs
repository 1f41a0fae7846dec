using System.Text;

namespace Analytics.Tests.Functional;

/// <summary>A strict RFC 4180 reader for the tests: CRLF rows, quoted cells with doubled quotes.</summary>
public static class Csv
{
    public static List<string[]> Parse(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"' && cell.Length == 0)
            {
                for (i++; !(text[i] == '"' && (i + 1 == text.Length || text[i + 1] != '"')); i++)
                {
                    cell.Append(text[i]);
                    i += text[i] == '"' ? 1 : 0;
                }

                i++;
            }
            else if (text[i] == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
                i++;
            }
            else if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add([.. row]);
                row.Clear();
                i += 2;
            }
            else
            {
                cell.Append(text[i++]);
            }
        }

        Assert.True(row.Count == 0 && cell.Length == 0, "a CSV document ends with CRLF");
        return rows;
    }
}
