using System.Text.RegularExpressions;

namespace Analytics.Cql;

/// <summary>Checks names spliced into DDL (keyspaces, tables), which cannot be bound as values.</summary>
public static partial class CqlIdentifier
{
    public static bool IsValid(string name) => Pattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,47}$")]
    private static partial Regex Pattern();
}
