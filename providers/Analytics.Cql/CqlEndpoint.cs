using System.Globalization;

namespace Analytics.Cql;

/// <summary>A contact point, written "host:port" or "host" (port 9042).</summary>
public sealed record CqlEndpoint(string Host, int Port)
{
    public const int DefaultPort = 9042;

    public static CqlEndpoint Parse(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        var colon = value.LastIndexOf(':');
        if (colon < 0)
        {
            return new CqlEndpoint(value, DefaultPort);
        }
        if (!int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new FormatException($"Contact point '{value}' has no valid port.");
        }
        var host = value[..colon];
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new FormatException($"Contact point '{value}' has no host.");
        }
        return new CqlEndpoint(host, port);
    }

    public override string ToString() => $"{Host}:{Port}";
}
