using System.Text;
using Analytics.Abstractions.Segments;
using Analytics.Sqlite.Segments;
using Analytics.Testing;
using Analytics.Tests.Privacy;
using Microsoft.Data.Sqlite;

namespace Analytics.Tests.Segments;

/// <summary>The segment store contract on a real segments.db in a folder of its own.</summary>
public sealed class SqliteSegmentStoreTests : SegmentStoreContract
{
    private readonly string _directory = Directory.CreateTempSubdirectory("analytics-segments-").FullName;
    private SqliteSegmentStore? _store;

    private string Path => System.IO.Path.Combine(_directory, "segments.db");

    protected override Task<ISegmentStore> OpenStoreAsync()
    {
        _store = new SqliteSegmentStore(Path, new SqliteSegmentStoreOptions());
        return Task.FromResult<ISegmentStore>(_store);
    }

    protected override async Task CloseStoreAsync()
    {
        await _store!.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The rows naming the site, and any file of the folder (database, write-ahead log) holding its name in its bytes.</summary>
    protected override async Task<IReadOnlyList<string>> RowsNamingAsync(string site)
    {
        var found = new List<string>();
        await using (var connection = new SqliteConnection($"Data Source={Path};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync();
            foreach (var table in new[] { "sealed_segments", "segment_batches" })
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT COUNT(*) FROM {table} WHERE site = $s OR instr(payload, CAST($s AS BLOB)) > 0";
                command.Parameters.AddWithValue("$s", site);
                found.AddRange(Enumerable.Repeat(table, (int)(long)(await command.ExecuteScalarAsync())!));
            }
        }

        var name = Encoding.UTF8.GetBytes(site);
        found.AddRange(DataFiles.Read(_directory).Where(f => DataFiles.Contains(f.Value, name)).Select(f => $"file {f.Key}"));
        return found;
    }

    [Fact]
    public void Options_that_would_leave_the_data_directory_or_take_another_stores_file_are_refused()
    {
        var validator = new SqliteSegmentStoreOptionsValidator();

        Assert.True(validator.Validate(null, new SqliteSegmentStoreOptions()).Succeeded);
        Assert.Contains("plain file name", validator.Validate(null, new SqliteSegmentStoreOptions { FileName = "../segments.db" }).FailureMessage);
        Assert.Contains("another store", validator.Validate(null, new SqliteSegmentStoreOptions { FileName = "grains.db" }).FailureMessage);
        Assert.Contains("MaxWriteBatch", validator.Validate(null, new SqliteSegmentStoreOptions { MaxWriteBatch = 0 }).FailureMessage);
    }
}
