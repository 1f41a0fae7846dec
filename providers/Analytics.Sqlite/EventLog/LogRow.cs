using Analytics.GrainInterfaces.Events;

namespace Analytics.Sqlite.EventLog;

/// <summary>A row of a lane as read: its event, or why it could not be read (an envelope this build cannot decode).</summary>
public readonly record struct LogRow(long Seq, TrackedEvent? Event, Exception? Error);
