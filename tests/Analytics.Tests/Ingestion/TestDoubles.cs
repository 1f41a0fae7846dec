using System.Collections.Concurrent;
using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Analytics.Gateway.Geo;
using Analytics.Gateway.Ingestion;
using Analytics.Gateway.Sites;
using Analytics.GrainInterfaces.Sessions;
using Analytics.GrainInterfaces.Sites;

namespace Analytics.Tests.Ingestion;

/// <summary>Beacons and contexts as the gateway builds them from a request.</summary>
internal static class TestContexts
{
    public const string ChromeUserAgent =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36";

    public const string GooglebotUserAgent = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    public static readonly DateTime ReceivedAt = new(2026, 11, 23, 18, 5, 30, DateTimeKind.Utc);

    public static Beacon Beacon(string name = "pageview", string url = "https://example.com/docs", string domain = "example.com") =>
        new() { Name = name, Url = url, Domain = domain };

    public static IngestionContext Context(Beacon? beacon = null, string userAgent = ChromeUserAgent, IPAddress? ip = null, DateTime? receivedAt = null) =>
        new()
        {
            Beacon = beacon ?? Beacon(),
            UserAgent = userAgent,
            ClientIp = ip ?? IPAddress.Parse("203.0.113.7"),
            ReceivedAt = receivedAt ?? ReceivedAt,
        };
}

internal sealed class FakeSiteDirectory(params SiteSettings[] sites) : ISiteDirectory
{
    public List<string> Lookups { get; } = [];

    public ValueTask<SiteSettings?> FindAsync(string domain, CancellationToken cancellationToken)
    {
        Lookups.Add(domain);
        return ValueTask.FromResult(sites.FirstOrDefault(s => s.Domain == domain));
    }

    public void Invalidate(string domain)
    {
    }
}

internal sealed class FakeGeoLocator(GeoLocation? location) : IGeoLocator
{
    public List<IPAddress> Asked { get; } = [];

    public GeoLocation? Locate(IPAddress address)
    {
        Asked.Add(address);
        return location;
    }
}

/// <summary>One salt per day key, derived from the key so different days get different salts.</summary>
internal sealed class FakeSaltGrain(string day, FakeSalts salts) : ISaltGrain
{
    public Task<byte[]> GetSaltAsync()
    {
        salts.Requests.Enqueue(day);
        return salts.FailNext-- > 0
            ? Task.FromException<byte[]>(new InvalidOperationException("salt store down"))
            : Task.FromResult(SHA256.HashData(Encoding.UTF8.GetBytes("salt:" + day)));
    }
}

internal sealed class FakeSalts
{
    public ConcurrentQueue<string> Requests { get; } = new();
    public int FailNext { get; set; }
}

/// <summary>An IGrainFactory that only knows salt grains; any other call fails the test loudly.</summary>
public class SaltOnlyGrainFactory : DispatchProxy
{
    internal FakeSalts Salts { get; private set; } = new();

    internal static IGrainFactory Create(FakeSalts salts)
    {
        var factory = Create<IGrainFactory, SaltOnlyGrainFactory>();
        ((SaltOnlyGrainFactory)(object)factory).Salts = salts;
        return factory;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        targetMethod is { Name: nameof(IGrainFactory.GetGrain), IsGenericMethod: true }
        && targetMethod.GetGenericArguments()[0] == typeof(ISaltGrain)
        && args is [string key, ..]
            ? new FakeSaltGrain(key, Salts)
            : throw new NotSupportedException($"The fake grain factory does not support {targetMethod}.");
}
