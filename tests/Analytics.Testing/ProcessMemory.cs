using System.Globalization;

namespace Analytics.Testing;

/// <summary>What a process holds in memory, from /proc (Linux).</summary>
public static class ProcessMemory
{
    /// <summary>Resident set size in bytes (VmRSS of /proc/PID/status).</summary>
    public static long RssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException($"no VmRSS for pid {pid}");
    }
}
