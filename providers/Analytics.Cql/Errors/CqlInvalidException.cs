namespace Analytics.Cql.Errors;

/// <summary>The statement is syntactically valid but invalid (0x2200).</summary>
[GenerateSerializer, Alias("Analytics.Cql.CqlInvalidException")]
public sealed class CqlInvalidException(string message) : CqlException(CqlErrorCode.Invalid, message);
