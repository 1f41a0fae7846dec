namespace Analytics.Tests.Privacy;

/// <summary>Every byte of the files of a data folder (WAL and SHM included), read while their owner may still write.</summary>
public static class DataFiles
{
    /// <summary>The embedded profile's data folder: grain state, the event log and the segments are all in the scan.</summary>
    public static Dictionary<string, byte[]> ReadAll(string directory)
    {
        var files = Read(directory);
        Assert.Contains("grains.db", files.Keys);
        Assert.Contains("events.db", files.Keys);
        Assert.Contains("segments.db", files.Keys);
        return files;
    }

    public static Dictionary<string, byte[]> Read(string directory) =>
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetFileName(f), ReadShared);

    public static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
