using System.Text;
using Analytics.Abstractions.Segments;
using Analytics.GrainInterfaces.Segments;
using Xunit;

namespace Analytics.Testing;

/// <summary>
/// What every <see cref="ISegmentStore"/> must do, run against each real one (SQLite file, Cassandra server) by a derived
/// test class that opens the store and can list the raw rows that name a site.
/// </summary>
public abstract class SegmentStoreContract : StoreContract<ISegmentStore>
{
    protected static readonly DateOnly Day = new(2026, 3, 10);

    private static readonly CancellationToken None = CancellationToken.None;

    protected static string Key(string site, DateOnly day) => new SegmentKey(site, day).ToString();

    /// <summary>Deterministic bytes that differ per <paramref name="seed"/>, so payloads cannot be mistaken for one another.</summary>
    protected static byte[] Payload(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Every stored row (of any of the store's tables) whose key or content contains <paramref name="site"/>.</summary>
    protected abstract Task<IReadOnlyList<string>> RowsNamingAsync(string site);

    [Fact]
    public async Task A_segment_never_written_reads_empty()
    {
        if (!Available)
        {
            return;
        }

        var stored = await Store.ReadAsync(Key(NewSite("empty"), Day), None);

        Assert.Null(stored.Sealed);
        Assert.Empty(stored.Batches);
    }

    [Fact]
    public async Task Batches_read_back_in_batch_order_whatever_order_they_were_appended_in()
    {
        if (!Available)
        {
            return;
        }

        var segment = Key(NewSite("order"), Day);
        var order = new[] { 7L, 2, 9, 1, 5 };
        await Task.WhenAll(order.Select(b => Store.AppendAsync(segment, b, Payload((int)b, 100 + (int)b), None)));
        // A rewrite of the same batch number replaces it (a retried append).
        await Store.AppendAsync(segment, 5, Payload(55, 10), None);

        var stored = await Store.ReadAsync(segment, None);

        Assert.Null(stored.Sealed);
        Assert.Equal([1L, 2, 5, 7, 9], stored.Batches.Select(b => b.Batch));
        Assert.Equal(Payload(1, 101), stored.Batches[0].Payload);
        Assert.Equal(Payload(55, 10), stored.Batches[2].Payload);
        Assert.Equal(Payload(9, 109), stored.Batches[4].Payload);
    }

    [Fact]
    public async Task Sealing_stores_the_payload_and_drops_the_batches_it_includes_but_not_later_ones()
    {
        if (!Available)
        {
            return;
        }

        var segment = Key(NewSite("seal"), Day);
        for (var b = 1; b <= 5; b++)
        {
            await Store.AppendAsync(segment, b, Payload(b, 64), None);
        }

        await Store.SealAsync(segment, Payload(100, 4000), lastBatch: 3, None);
        var stored = await Store.ReadAsync(segment, None);

        Assert.Equal(Payload(100, 4000), stored.Sealed);
        Assert.Equal([4L, 5], stored.Batches.Select(b => b.Batch));
        Assert.Equal(Payload(4, 64), stored.Batches[0].Payload);
    }

    [Fact]
    public async Task A_late_batch_after_sealing_reopens_the_segment_until_it_is_sealed_again()
    {
        if (!Available)
        {
            return;
        }

        var segment = Key(NewSite("late"), Day);
        await Store.AppendAsync(segment, 1, Payload(1, 64), None);
        await Store.SealAsync(segment, Payload(100, 3000), lastBatch: 1, None);
        Assert.Empty((await Store.ReadAsync(segment, None)).Batches);

        await Store.AppendAsync(segment, 2, Payload(2, 64), None);
        var reopened = await Store.ReadAsync(segment, None);
        Assert.Equal(Payload(100, 3000), reopened.Sealed);
        Assert.Equal([2L], reopened.Batches.Select(b => b.Batch));

        // Sealed anew, smaller than before: nothing of the first payload may show through.
        await Store.SealAsync(segment, Payload(200, 1000), lastBatch: 2, None);
        var resealed = await Store.ReadAsync(segment, None);
        Assert.Equal(Payload(200, 1000), resealed.Sealed);
        Assert.Empty(resealed.Batches);
    }

    [Fact]
    public async Task A_five_megabyte_payload_and_batch_round_trip()
    {
        if (!Available)
        {
            return;
        }

        var segment = Key(NewSite("big"), Day);
        var big = Payload(5, (5 * 1024 * 1024) + 12_345);
        await Store.AppendAsync(segment, 1, big, None);
        Assert.Equal(big, (await Store.ReadAsync(segment, None)).Batches.Single().Payload);

        await Store.SealAsync(segment, big, lastBatch: 1, None);
        var stored = await Store.ReadAsync(segment, None);

        Assert.Equal(big, stored.Sealed);
        Assert.Empty(stored.Batches);
    }

    [Fact]
    public async Task The_days_of_a_site_are_listed_in_order_sealed_or_open_and_no_other_sites()
    {
        if (!Available)
        {
            return;
        }

        var site = NewSite("days");
        var other = NewSite("days-other");
        await Store.AppendAsync(Key(site, Day.AddDays(2)), 1, Payload(1, 10), None);   // open only
        await Store.SealAsync(Key(site, Day), Payload(2, 10), lastBatch: 0, None);     // sealed only
        await Store.AppendAsync(Key(site, Day.AddDays(-31)), 1, Payload(3, 10), None); // the month before
        await Store.SealAsync(Key(site, Day.AddDays(-31)), Payload(4, 10), lastBatch: 1, None);
        await Store.AppendAsync(Key(other, Day.AddDays(1)), 1, Payload(5, 10), None);

        Assert.Equal([Day.AddDays(-31), Day, Day.AddDays(2)], await Store.ListDaysAsync(site, None));
        Assert.Equal([Day.AddDays(1)], await Store.ListDaysAsync(other, None));
        Assert.Empty(await Store.ListDaysAsync(NewSite("days-none"), None));
    }

    [Fact]
    public async Task Deleting_a_site_leaves_no_row_naming_it_and_keeps_other_sites()
    {
        if (!Available)
        {
            return;
        }

        var site = NewSite("erase");
        var keep = NewSite("keep");
        foreach (var day in new[] { Day, Day.AddDays(1), Day.AddDays(2) })
        {
            await Store.AppendAsync(Key(site, day), 1, Encoding.UTF8.GetBytes($"rows of {site}"), None);
            await Store.AppendAsync(Key(site, day), 2, Payload(2, 2_000_000), None);
            await Store.AppendAsync(Key(keep, day), 1, Encoding.UTF8.GetBytes($"rows of {keep}"), None);
        }

        await Store.SealAsync(Key(site, Day), Encoding.UTF8.GetBytes($"sealed rows of {site}"), lastBatch: 1, None);
        Assert.NotEmpty(await RowsNamingAsync(site)); // control: the scan sees the site before

        await Store.DeleteSiteAsync(site, None);

        Assert.Empty(await RowsNamingAsync(site));
        Assert.Empty(await Store.ListDaysAsync(site, None));
        var erased = await Store.ReadAsync(Key(site, Day), None);
        Assert.Null(erased.Sealed);
        Assert.Empty(erased.Batches);
        Assert.Equal(3, (await Store.ListDaysAsync(keep, None)).Count);
        Assert.Equal($"rows of {keep}", Encoding.UTF8.GetString((await Store.ReadAsync(Key(keep, Day), None)).Batches.Single().Payload));

        // The site can come back and is stored afresh.
        await Store.AppendAsync(Key(site, Day), 1, Payload(9, 10), None);
        Assert.Equal([Day], await Store.ListDaysAsync(site, None));
    }

    [Fact]
    public async Task Concurrent_appends_to_different_segments_each_read_back_their_own()
    {
        if (!Available)
        {
            return;
        }

        var site = NewSite("parallel");
        var segments = Enumerable.Range(0, 12).Select(i => Key(site, Day.AddDays(i))).ToList();
        await Task.WhenAll(segments.SelectMany((segment, s) => Enumerable.Range(1, 15).Select(b =>
            Task.Run(() => Store.AppendAsync(segment, b, Payload((s * 100) + b, 200 + b), None)))));

        for (var s = 0; s < segments.Count; s++)
        {
            var stored = await Store.ReadAsync(segments[s], None);
            Assert.Equal(Enumerable.Range(1, 15).Select(b => (long)b), stored.Batches.Select(b => b.Batch));
            Assert.All(stored.Batches, b => Assert.Equal(Payload((s * 100) + (int)b.Batch, 200 + (int)b.Batch), b.Payload));
        }

        Assert.Equal(segments.Count, (await Store.ListDaysAsync(site, None)).Count);
    }
}
