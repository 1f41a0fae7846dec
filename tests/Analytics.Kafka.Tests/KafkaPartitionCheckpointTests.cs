using Analytics.Kafka.Streams;

namespace Analytics.Kafka.Tests;

public sealed class KafkaPartitionCheckpointTests
{
    [Fact]
    public void Nothing_is_pending_before_a_delivery()
    {
        var checkpoint = new KafkaPartitionCheckpoint();
        checkpoint.Read(0);
        checkpoint.Read(1);
        Assert.Null(checkpoint.PendingCommit);
    }

    [Fact]
    public void Commits_the_offset_after_the_contiguous_delivered_prefix()
    {
        var checkpoint = new KafkaPartitionCheckpoint();
        foreach (var offset in new long[] { 10, 11, 12, 13 }) checkpoint.Read(offset);

        checkpoint.Done(10);
        checkpoint.Done(11);

        Assert.Equal(12, checkpoint.PendingCommit);
    }

    [Fact]
    public void An_undelivered_message_holds_back_later_deliveries()
    {
        var checkpoint = new KafkaPartitionCheckpoint();
        foreach (var offset in new long[] { 0, 1, 2, 3 }) checkpoint.Read(offset);

        checkpoint.Done(0);
        checkpoint.Done(2);
        checkpoint.Done(3);
        Assert.Equal(1, checkpoint.PendingCommit);

        checkpoint.Done(1);
        Assert.Equal(4, checkpoint.PendingCommit);
        Assert.Equal(0, checkpoint.InFlight);
    }

    [Fact]
    public void Gaps_in_offsets_do_not_block_the_commit()
    {
        // Compacted topics skip offsets; the prefix follows what was read, not offset arithmetic.
        var checkpoint = new KafkaPartitionCheckpoint();
        foreach (var offset in new long[] { 5, 9, 20 }) checkpoint.Read(offset);

        checkpoint.Done(9);
        checkpoint.Done(5);

        Assert.Equal(10, checkpoint.PendingCommit);
    }

    [Fact]
    public void A_committed_position_is_not_pending_again()
    {
        var checkpoint = new KafkaPartitionCheckpoint();
        checkpoint.Read(0);
        checkpoint.Read(1);
        checkpoint.Done(0);
        checkpoint.Committed(1);
        Assert.Null(checkpoint.PendingCommit);

        checkpoint.Done(1);
        Assert.Equal(2, checkpoint.PendingCommit);
    }

    [Fact]
    public void Deliveries_of_offsets_never_read_are_ignored()
    {
        var checkpoint = new KafkaPartitionCheckpoint();
        checkpoint.Read(3);
        checkpoint.Done(1);
        checkpoint.Done(7);
        Assert.Null(checkpoint.PendingCommit);
        Assert.Equal(1, checkpoint.InFlight);
    }

    [Fact]
    public void Offsets_must_increase()
    {
        var checkpoint = new KafkaPartitionCheckpoint();
        checkpoint.Read(4);
        Assert.Throws<ArgumentOutOfRangeException>(() => checkpoint.Read(4));
    }
}
