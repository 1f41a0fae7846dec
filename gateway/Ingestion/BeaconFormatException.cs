namespace Analytics.Gateway.Ingestion;

/// <summary>The body is not a beacon we can read; answered with 400 and this message.</summary>
public sealed class BeaconFormatException(string message) : Exception(message);
