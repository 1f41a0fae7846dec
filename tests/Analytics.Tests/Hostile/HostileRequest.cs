using System.Net;

namespace Analytics.Tests.Hostile;

/// <summary>One request of the hostile corpus, built byte for byte so nothing on the way can clean it up.</summary>
public sealed record HostileRequest(string Kind, string Method, string Path, string? Query = null)
{
    public byte[]? Body { get; init; }
    public string? ContentType { get; init; }
    public Dictionary<string, string> Headers { get; init; } = [];
    public IPAddress RemoteIp { get; init; } = IPAddress.Parse("192.0.2.10");

    /// <summary>True when no answer but a 4xx is right (the request cannot be valid).</summary>
    public bool MustReject { get; init; }

    /// <summary>For GA4's validation server, which answers 200 whatever the body: the answer must name a problem.</summary>
    public bool ExpectsValidationMessages { get; init; }

    public HostileRequest Header(string name, string value) => this with { Headers = new(Headers) { [name] = value } };

    public override string ToString()
    {
        var body = Body is null ? "" : System.Text.Encoding.UTF8.GetString(Body.AsSpan(0, Math.Min(Body.Length, 160)));
        return $"[{Kind}] {Method} {Path}{Query} ({Body?.Length ?? 0} bytes, {ContentType}) {body}";
    }
}
