namespace Analytics.Sqlite.EventLog;

/// <summary>Reads one row of the event log: its sequence and its envelope (UTF-8 JSON), valid only during the call.</summary>
internal delegate T LogRowReader<out T>(long seq, ReadOnlySpan<byte> envelope);
