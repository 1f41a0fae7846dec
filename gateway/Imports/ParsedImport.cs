namespace Analytics.Gateway.Imports;

/// <summary>The good rows of an upload and the problems of the others ("file line N: why"), with how many there were.</summary>
public sealed record ParsedImport<T>(IReadOnlyList<T> Rows, IReadOnlyList<string> Problems, int Rejected);
