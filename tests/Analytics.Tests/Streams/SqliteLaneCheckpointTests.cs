using Analytics.Sqlite.Streams;

namespace Analytics.Tests.Streams;

public sealed class SqliteLaneCheckpointTests
{
    [Fact]
    public void Nothing_is_pending_before_a_delivery()
    {
        var checkpoint = new SqliteLaneCheckpoint(committed: 4);
        checkpoint.Read([5, 6], lastSeq: 9);
        Assert.Null(checkpoint.PendingCommit);
        Assert.Equal(9, checkpoint.LastRead);
    }

    [Fact]
    public void An_undelivered_container_holds_back_the_rows_after_its_first()
    {
        // Containers start at rows 5 (A: 5, 8), 6 (B: 6, 9) and 7 (C: 7).
        var checkpoint = new SqliteLaneCheckpoint(committed: 4);
        checkpoint.Read([5, 6, 7], lastSeq: 9);

        checkpoint.Done(6);
        Assert.Null(checkpoint.PendingCommit);

        checkpoint.Done(5);
        Assert.Equal(6, checkpoint.PendingCommit); // rows 5 and 6 belong to A and B; row 7 to C, undelivered

        checkpoint.Done(7);
        Assert.Equal(9, checkpoint.PendingCommit); // every row read belongs to a delivered container
    }

    [Fact]
    public void A_written_position_is_not_pending_again_and_unknown_containers_are_ignored()
    {
        var checkpoint = new SqliteLaneCheckpoint(committed: 0);
        checkpoint.Read([1], lastSeq: 3);
        checkpoint.Done(2);
        Assert.Equal(1, checkpoint.InFlight);
        checkpoint.Done(1);
        checkpoint.Committed(3);
        Assert.Null(checkpoint.PendingCommit);
        Assert.Equal(0, checkpoint.InFlight);
    }

    [Fact]
    public void Reads_must_move_forward()
    {
        var checkpoint = new SqliteLaneCheckpoint(committed: 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => checkpoint.Read([10], lastSeq: 12));
    }
}
