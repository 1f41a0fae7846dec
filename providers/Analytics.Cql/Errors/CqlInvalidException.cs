namespace Analytics.Cql.Errors;

/// <summary>The statement is syntactically valid but invalid (0x2200).</summary>
[GenerateSerializer]
public sealed class CqlInvalidException(string message) : CqlException(CqlErrorCode.Invalid, message);
