namespace Analytics.Tests.Privacy;

/// <summary>Every byte of the files of a data folder (WAL and SHM included), read while their owner may still write.</summary>
public static class DataFiles
{
    public static Dictionary<string, byte[]> ReadAll(string directory)
    {
        var files = Directory.GetFiles(directory, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => Path.GetFileName(f) == "grains.db");
        Assert.Contains(files, f => Path.GetFileName(f) == "events.db");
        return files.ToDictionary(f => Path.GetFileName(f), ReadShared);
    }

    public static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
