namespace Analytics.Sqlite.EventLog;

/// <summary>
/// What one read of a lane returned: its rows in order, and the position up to which the lane has now been read
/// (<see cref="ReadUpTo"/>, at or past the last row: no row of the lane at or below it is left unread), where the next
/// read starts after. <see cref="Source"/> says where the rows came from.
/// </summary>
public sealed record LaneRead(IReadOnlyList<LogRow> Rows, long ReadUpTo, LaneReadSource Source);
