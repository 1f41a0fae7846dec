namespace Analytics.Gateway.Query;

/// <summary>The query cannot be answered as asked; the message says what is supported. Answered with 400.</summary>
public sealed class QueryValidationException(string message) : Exception(message);
