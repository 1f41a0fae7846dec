namespace Analytics.Cql.Protocol;

/// <summary>One received frame: its header and body bytes.</summary>
internal sealed record CqlFrame(CqlFrameHeader Header, byte[] Body);
