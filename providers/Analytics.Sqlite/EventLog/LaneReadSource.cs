namespace Analytics.Sqlite.EventLog;

/// <summary>Where a read of a lane found its rows (<see cref="LaneRead"/>).</summary>
public enum LaneReadSource
{
    /// <summary>The log's memory of its latest commits (<see cref="LaneTail"/>).</summary>
    Tail,

    /// <summary>What an earlier read of the file kept for the lane (<see cref="LaneBacklog"/>).</summary>
    Backlog,

    /// <summary>The file, read for this lane (and kept for others).</summary>
    File,
}
