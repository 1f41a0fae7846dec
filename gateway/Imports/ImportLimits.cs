namespace Analytics.Gateway.Imports;

/// <summary>Bounds of one upload, so no import can exhaust the gateway or the site's store.</summary>
public static class ImportLimits
{
    public const long MaxUploadBytes = 32L * 1024 * 1024;

    /// <summary>All files of a zip together, decompressed (a zip bomb stops here).</summary>
    public const long MaxUncompressedBytes = 256L * 1024 * 1024;

    public const int MaxEventRows = 200_000;

    /// <summary>How many row problems a job lists (all are counted).</summary>
    public const int MaxListedProblems = 50;
}
