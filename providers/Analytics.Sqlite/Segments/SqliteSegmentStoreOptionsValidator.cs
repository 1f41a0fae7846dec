using Microsoft.Extensions.Options;

namespace Analytics.Sqlite.Segments;

public sealed class SqliteSegmentStoreOptionsValidator : IValidateOptions<SqliteSegmentStoreOptions>
{
    /// <summary>The other files of the data directory, each owned by another store.</summary>
    private static readonly string[] Taken = ["grains.db", "events.db", "lanes.db"];

    public ValidateOptionsResult Validate(string? name, SqliteSegmentStoreOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.FileName) || Path.GetFileName(options.FileName) != options.FileName
            || options.FileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            errors.Add($"{nameof(options.FileName)} must be a plain file name (it lies in the data directory), such as segments.db");
        }
        else if (Taken.Contains(options.FileName, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"{nameof(options.FileName)} must not be {options.FileName}: another store owns that file");
        }

        if (options.MaxWriteBatch is < 1 or > 100_000) errors.Add($"{nameof(options.MaxWriteBatch)} must be between 1 and 100000");
        if (options.CacheKiB is < 64 or > 1024 * 1024) errors.Add($"{nameof(options.CacheKiB)} must be between 64 and 1048576");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
