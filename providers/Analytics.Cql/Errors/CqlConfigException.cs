namespace Analytics.Cql.Errors;

/// <summary>The statement conflicts with the server's configuration (0x2300).</summary>
[GenerateSerializer, Alias("Analytics.Cql.CqlConfigException")]
public sealed class CqlConfigException(string message) : CqlException(CqlErrorCode.ConfigError, message);
