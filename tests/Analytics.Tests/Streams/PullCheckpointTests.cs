using Analytics.Abstractions.Streams;

namespace Analytics.Tests.Streams;

/// <summary>The checkpoint both stream providers keep: a pull (one container) is known by the last position it read.</summary>
public sealed class PullCheckpointTests
{
    [Fact]
    public void Nothing_is_pending_before_a_delivery()
    {
        var checkpoint = new PullCheckpoint(committed: 4);
        checkpoint.Read(9);
        Assert.Null(checkpoint.PendingCommit);
        Assert.Equal(9, checkpoint.LastRead);
        Assert.Equal(1, checkpoint.InFlight);
    }

    [Fact]
    public void An_undelivered_pull_holds_back_the_pulls_read_after_it()
    {
        // Pulls read rows 5..7, 8..12 and 13..20.
        var checkpoint = new PullCheckpoint(committed: 4);
        checkpoint.Read(7);
        checkpoint.Read(12);
        checkpoint.Read(20);

        checkpoint.Done(12);
        checkpoint.Done(20);
        Assert.Null(checkpoint.PendingCommit);

        checkpoint.Done(7);
        Assert.Equal(20, checkpoint.PendingCommit);
        Assert.Equal(0, checkpoint.InFlight);
    }

    [Fact]
    public void The_checkpoint_moves_with_the_delivered_run_only()
    {
        var checkpoint = new PullCheckpoint(committed: -1);
        checkpoint.Read(3);
        checkpoint.Read(5);
        checkpoint.Read(9);

        checkpoint.Done(3);
        checkpoint.Done(9);

        Assert.Equal(3, checkpoint.PendingCommit);
    }

    [Fact]
    public void Gaps_between_pulls_do_not_block_the_checkpoint()
    {
        // Compacted topics skip offsets, deleted rows leave holes: a pull is its last position, not a count.
        var checkpoint = new PullCheckpoint(committed: -1);
        checkpoint.Read(5);
        checkpoint.Read(90);

        checkpoint.Done(90);
        checkpoint.Done(5);

        Assert.Equal(90, checkpoint.PendingCommit);
    }

    [Fact]
    public void A_written_position_is_not_pending_again_and_unknown_pulls_are_ignored()
    {
        var checkpoint = new PullCheckpoint(committed: 0);
        checkpoint.Read(3);
        checkpoint.Read(6);
        checkpoint.Done(2);
        checkpoint.Done(7);
        Assert.Equal(2, checkpoint.InFlight);

        checkpoint.Done(3);
        checkpoint.Committed(3);
        Assert.Null(checkpoint.PendingCommit);

        checkpoint.Done(6);
        Assert.Equal(6, checkpoint.PendingCommit);
    }

    [Fact]
    public void Pulls_must_move_forward()
    {
        var checkpoint = new PullCheckpoint(committed: 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => checkpoint.Read(10));
        checkpoint.Read(12);
        Assert.Throws<ArgumentOutOfRangeException>(() => checkpoint.Read(11));
    }
}
