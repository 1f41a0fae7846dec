namespace Analytics.Cql.Errors;

/// <summary>The statement does not parse (0x2000).</summary>
[GenerateSerializer, Alias("Analytics.Cql.CqlSyntaxException")]
public sealed class CqlSyntaxException(string message) : CqlException(CqlErrorCode.SyntaxError, message);
