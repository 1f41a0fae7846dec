using System.Text;
using Analytics.Abstractions.Segments;
using Analytics.Cassandra.Segments;
using Analytics.Cassandra.Tests.Support;
using Analytics.Cql;
using Analytics.GrainInterfaces.Segments;
using Analytics.Testing;

namespace Analytics.Cassandra.Tests.Segments;

/// <summary>The segment store contract on a real Cassandra, plus what is Cassandra's own: cells of at most 1 MB.</summary>
[Collection(CassandraCollection.Name)]
public sealed class CassandraSegmentStoreTests(CassandraFixture fixture) : SegmentStoreContract
{
    private static readonly string[] Tables = ["segment_chunks", "segment_batches", "segment_days"];

    private CassandraSegmentStore? _store;

    protected override bool Available => RequiresServices.Cassandra(fixture);

    protected override async Task<ISegmentStore> OpenStoreAsync()
    {
        _store = new CassandraSegmentStore(new CassandraSegmentStoreOptions { Client = fixture.ClientOptions(), Keyspace = fixture.Keyspace });
        await _store.StartAsync(CancellationToken.None);
        return _store;
    }

    protected override async Task CloseStoreAsync() => await _store!.DisposeAsync();

    protected override async Task<IReadOnlyList<string>> RowsNamingAsync(string site)
    {
        var found = new List<string>();
        foreach (var table in Tables)
        {
            await foreach (var row in fixture.Session.QueryAllAsync(new CqlStatement($"SELECT * FROM {fixture.Keyspace}.{table}") { PageSize = 4 }))
            {
                var text = string.Join(' ', Enumerable.Range(0, row.FieldCount).Select(i => row[i] switch
                {
                    byte[] bytes => Encoding.UTF8.GetString(bytes),
                    var value => value?.ToString(),
                }));
                if (text.Contains(site, StringComparison.Ordinal))
                {
                    found.Add(table);
                }
            }
        }

        return found;
    }

    [Fact]
    public async Task A_five_megabyte_payload_is_stored_in_cells_of_at_most_one_megabyte_and_a_reseal_leaves_only_its_own()
    {
        if (!Available)
        {
            return;
        }

        var site = NewSite("cells");
        var segment = Key(site, Day);
        var big = Payload(5, (5 * 1024 * 1024) + 12_345);
        await Store.AppendAsync(segment, 1, big, CancellationToken.None);
        var batchCells = await CellsAsync("segment_batches", site);
        Assert.Equal(6, batchCells.Count);
        Assert.All(batchCells, c => Assert.InRange(c, 1, CassandraSegmentStoreOptions.MaxChunkSize));
        Assert.Equal(big.Length, batchCells.Sum());

        await Store.SealAsync(segment, big, lastBatch: 1, CancellationToken.None);
        var sealedCells = await CellsAsync("segment_chunks", site);
        Assert.Equal(6, sealedCells.Count);
        Assert.All(sealedCells, c => Assert.InRange(c, 1, CassandraSegmentStoreOptions.MaxChunkSize));
        Assert.Empty(await CellsAsync("segment_batches", site));

        // Sealed again (a late batch reopened it), smaller: the first version's six cells are gone.
        var small = Payload(6, 1_500_000);
        await Store.AppendAsync(segment, 2, Payload(7, 100), CancellationToken.None);
        await Store.SealAsync(segment, small, lastBatch: 2, CancellationToken.None);
        Assert.Equal([CassandraSegmentStoreOptions.MaxChunkSize, small.Length - CassandraSegmentStoreOptions.MaxChunkSize], await CellsAsync("segment_chunks", site));
        Assert.Equal(small, (await Store.ReadAsync(segment, CancellationToken.None)).Sealed);
    }

    [Fact]
    public async Task A_batch_missing_a_chunk_was_never_acknowledged_and_is_left_out()
    {
        if (!Available)
        {
            return;
        }

        var site = NewSite("torn");
        var segment = Key(site, Day);
        await Store.AppendAsync(segment, 1, Payload(1, 10), CancellationToken.None);
        await Store.AppendAsync(segment, 2, Payload(2, (2 * 1024 * 1024) + 1), CancellationToken.None);
        await Store.AppendAsync(segment, 3, Payload(3, 10), CancellationToken.None);
        // What a writer dying between chunks leaves: batch 2 without its middle chunk.
        await fixture.Session.ExecuteAsync(new CqlStatement(
            $"DELETE FROM {fixture.Keyspace}.segment_batches WHERE site = ? AND day = ? AND batch_number = ? AND chunk = ?", site, "2026-03-10", 2L, 1));

        Assert.Equal([1L, 3], (await Store.ReadAsync(segment, CancellationToken.None)).Batches.Select(b => b.Batch));
    }

    [Fact]
    public async Task The_day_index_is_written_once_per_segment_and_again_after_another_silo_erased_the_site()
    {
        if (!Available)
        {
            return;
        }

        var site = NewSite("indexed");
        var segment = Key(site, Day);
        await Store.AppendAsync(segment, 1, Payload(1, 10), CancellationToken.None);
        // Gone behind the store's back: a later append of the same activation does not write it again.
        await fixture.Session.ExecuteAsync(new CqlStatement($"DELETE FROM {fixture.Keyspace}.segment_days WHERE site = ?", site));
        await Store.AppendAsync(segment, 2, Payload(2, 10), CancellationToken.None);
        Assert.Empty(await Store.ListDaysAsync(site, CancellationToken.None));

        // Another silo erases a site; this one's next activation of its segment reads it empty and indexes it again.
        var erased = Key(NewSite("erased"), Day);
        await Store.AppendAsync(erased, 1, Payload(1, 10), CancellationToken.None);
        await using (var other = new CassandraSegmentStore(new CassandraSegmentStoreOptions { Client = fixture.ClientOptions(), Keyspace = fixture.Keyspace }))
        {
            await other.StartAsync(CancellationToken.None);
            await other.DeleteSiteAsync(SegmentKey.Parse(erased).Site, CancellationToken.None);
        }

        var read = await Store.ReadAsync(erased, CancellationToken.None);
        Assert.True(read.Sealed is null && read.Batches.Count == 0, "the erased segment still reads rows");
        await Store.AppendAsync(erased, 1, Payload(3, 10), CancellationToken.None);
        Assert.Equal([Day], await Store.ListDaysAsync(SegmentKey.Parse(erased).Site, CancellationToken.None));
    }

    [Fact]
    public void Chunks_above_one_megabyte_are_refused_at_start()
    {
        var errors = CassandraSegmentStoreOptionsValidator.Validate(new CassandraSegmentStoreOptions { ChunkSize = CassandraSegmentStoreOptions.MaxChunkSize + 1, TablePrefix = "bad-name" }).ToList();

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("ChunkSize", StringComparison.Ordinal));
        Assert.Empty(CassandraSegmentStoreOptionsValidator.Validate(new CassandraSegmentStoreOptions()));
    }

    /// <summary>The sizes of the data cells the site has in <paramref name="table"/>, in clustering order.</summary>
    private async Task<List<int>> CellsAsync(string table, string site)
    {
        var cells = new List<int>();
        await foreach (var row in fixture.Session.QueryAllAsync(new CqlStatement($"SELECT data FROM {fixture.Keyspace}.{table} WHERE site = ? AND day = ?", site, "2026-03-10") { PageSize = 4 }))
        {
            cells.Add(row.GetBytes("data")!.Length);
        }

        return cells;
    }
}
