using System.Diagnostics;
using Analytics.Testing;

namespace Analytics.Tests.Enrichment;

/// <summary>A small GeoIP2 City or Country database written by MaxMind's own writer (write-geoip-database.pl) into a temporary file.</summary>
public static class GeoIpTestDatabase
{
    public const string City = "GeoIP2-City";
    public const string Country = "GeoIP2-Country";

    /// <summary>Writes the database of <paramref name="type"/> into <paramref name="directory"/> and returns its path.</summary>
    public static string Write(string directory, string type)
    {
        var path = Path.Combine(directory, $"{type}-Test.mmdb");
        var script = Path.Combine(RepoPaths.Root, "tests", "Analytics.Tests", "Enrichment", "write-geoip-database.pl");
        var start = new ProcessStartInfo("perl", [script, path, type]) { RedirectStandardError = true };
        using var perl = Process.Start(start) ?? throw new InvalidOperationException("perl did not start");
        var errors = perl.StandardError.ReadToEnd();
        Assert.True(perl.WaitForExit(TimeSpan.FromSeconds(60)), "the GeoIP test database was not written within a minute");
        Assert.True(perl.ExitCode == 0, $"writing the GeoIP test database failed (run scripts/setup.sh for libmaxmind-db-writer-perl): {errors}");
        return path;
    }
}
