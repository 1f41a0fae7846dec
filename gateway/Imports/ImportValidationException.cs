namespace Analytics.Gateway.Imports;

/// <summary>An upload that cannot be imported at all (a 400 saying why); problems of single rows do not throw.</summary>
public sealed class ImportValidationException(string message) : Exception(message);
