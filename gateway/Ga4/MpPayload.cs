using System.Net;

namespace Analytics.Gateway.Ga4;

/// <summary>
/// What a Measurement Protocol body holds: the events that may be counted, and what the validation server says about
/// it. A request-level problem (no client_id, no or too many events, a timestamp outside Google's window, a body that
/// is not JSON) leaves no event to count; an event-level problem drops that event only. <paramref name="IpOverride"/> is
/// the visitor's address the sender passed (ip_override), used in memory for the country only.
/// </summary>
public sealed record MpPayload(IReadOnlyList<Ga4Hit> Hits, IReadOnlyList<MpValidationMessage> Messages, IPAddress? IpOverride = null);
