namespace Analytics.Cql.Errors;

/// <summary>The coordinator is bootstrapping and did not execute the request (0x1002).</summary>
[GenerateSerializer, Alias("Analytics.Cql.CqlIsBootstrappingException")]
public sealed class CqlIsBootstrappingException(string message) : CqlException(CqlErrorCode.IsBootstrapping, message);
