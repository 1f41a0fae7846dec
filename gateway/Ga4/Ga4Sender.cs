using System.Net;

namespace Analytics.Gateway.Ga4;

/// <summary>The request facts every event of one GA4 request shares: the visitor's User-Agent and address (in memory only).</summary>
public sealed record Ga4Sender(string UserAgent, IPAddress? ClientIp, bool DoNotTrack);
