using System.Globalization;

namespace Analytics.Bench.Infra;

/// <summary>
/// A memory limit for one silo process, as a container gives it: a real memory cgroup of the kernel (v2 or v1) when this
/// machine lets the bench create one, which the kernel enforces and the .NET runtime sizes its heap from (75 % of the
/// limit); otherwise only the runtime's share of it (<c>DOTNET_GCHeapHardLimit</c>), which bounds the heap but is not
/// enforced on the rest of the process. <see cref="Kind"/> says which the run had.
/// </summary>
public sealed class MemoryLimit : IDisposable
{
    private const string V2Root = "/sys/fs/cgroup";
    private const string V1Root = "/sys/fs/cgroup/memory";

    private readonly string? _directory;
    private readonly bool _v2;

    private MemoryLimit(long bytes, string? directory, bool v2)
    {
        Bytes = bytes;
        _directory = directory;
        _v2 = v2;
    }

    public long Bytes { get; }

    /// <summary>The file the process writes its pid to, to enter the cgroup; null without one.</summary>
    public string? ProcsFile => _directory is null ? null : Path.Combine(_directory, "cgroup.procs");

    public string Kind => _directory is null
        ? $"DOTNET_GCHeapHardLimit = 75 % of {Bytes / 1048576:N0} MiB (no memory cgroup could be created here: the heap is bounded, the process is not)"
        : $"a memory cgroup ({(_v2 ? "v2, memory.max" : "v1, memory.limit_in_bytes")}) of {Bytes / 1048576:N0} MiB, enforced by the kernel";

    /// <summary>What the silo's environment needs: nothing inside a cgroup (the runtime reads its limit), the heap limit otherwise.</summary>
    public IReadOnlyDictionary<string, string> Environment => _directory is not null
        ? new Dictionary<string, string>()
        : new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = (Bytes / 4 * 3).ToString("X", CultureInfo.InvariantCulture) };

    /// <summary>Whether the kernel killed a process of the cgroup for exceeding the limit (false without a cgroup).</summary>
    public bool OomKilled => _directory is not null && ReadCounter(_v2 ? "memory.events" : "memory.oom_control", "oom_kill") > 0;

    public static MemoryLimit Create(string name, long bytes)
    {
        var limit = bytes.ToString(CultureInfo.InvariantCulture);
        if (File.Exists(Path.Combine(V2Root, "cgroup.controllers"))
            && File.ReadAllText(Path.Combine(V2Root, "cgroup.subtree_control")).Split(' ', StringSplitOptions.TrimEntries).Contains("memory")
            && TryCreate(Path.Combine(V2Root, name), "memory.max", limit) is { } v2)
        {
            return new MemoryLimit(bytes, v2, v2: true);
        }

        return Directory.Exists(V1Root) && TryCreate(Path.Combine(V1Root, name), "memory.limit_in_bytes", limit) is { } v1
            ? new MemoryLimit(bytes, v1, v2: false)
            : new MemoryLimit(bytes, null, v2: false);
    }

    public void Dispose()
    {
        try
        {
            if (_directory is not null)
            {
                Directory.Delete(_directory);
            }
        }
        catch (IOException)
        {
            // Still busy (a process not yet reaped): the kernel keeps an empty cgroup at no cost.
        }
    }

    private static string? TryCreate(string directory, string limitFile, string limit)
    {
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, limitFile), limit);
            return directory;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private long ReadCounter(string file, string key)
    {
        var path = Path.Combine(_directory!, file);
        if (!File.Exists(path))
        {
            return 0;
        }

        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(' ');
            if (parts.Length == 2 && parts[0] == key && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }

        return 0;
    }
}
