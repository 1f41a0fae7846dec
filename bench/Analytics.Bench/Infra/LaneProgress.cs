using System.Globalization;
using System.Text;
using Analytics.Sqlite.Storage;
using Microsoft.Data.Sqlite;

namespace Analytics.Bench.Infra;

/// <summary>
/// How far the silo's SQLite stream provider has delivered the event log, read from the log file read-only while the
/// silo runs. A lane's checkpoint advances only after the grains took its batch (MessagesDeliveredAsync), so a lane is
/// drained when its checkpoint has reached the lane's last row. Polling reads the few checkpoint rows only; counting
/// delivered events walks the lanes' index and is done sparingly.
/// </summary>
public sealed class LaneProgress(string dataDirectory)
{
    private readonly string _connection = $"Data Source={new SqliteStorageOptions { DataDirectory = dataDirectory }.EventLogPath};Mode=ReadOnly;Pooling=False";

    /// <summary>The last row (sequence) of every lane that has rows.</summary>
    public Dictionary<long, long> Tails() => Pairs("SELECT lane, max(seq) FROM events GROUP BY lane");

    /// <summary>Every lane's checkpoint (the sequence up to which the grains have its events); absent before the first delivery.</summary>
    public Dictionary<long, long> Checkpoints() => Pairs("SELECT lane, seq FROM checkpoints");

    public static bool Drained(IReadOnlyDictionary<long, long> tails, IReadOnlyDictionary<long, long> checkpoints) =>
        tails.All(t => checkpoints.GetValueOrDefault(t.Key) >= t.Value);

    /// <summary>Events appended, and events at or below their lane's checkpoint.</summary>
    public (long Appended, long Delivered) Count()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT count(*) FROM events),
                   (SELECT count(*) FROM events e JOIN checkpoints c ON c.lane = e.lane AND e.seq <= c.seq)
            """;
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// Events at or below the given checkpoints (a snapshot of <see cref="Checkpoints"/> taken earlier), counted now in
    /// one pass over the log (it has no index by lane): a lane left out counts nothing.
    /// </summary>
    public long DeliveredAt(IReadOnlyDictionary<long, long> checkpoints)
    {
        if (checkpoints.Count == 0)
        {
            return 0;
        }

        using var connection = Open();
        using var command = connection.CreateCommand();
        var cases = new StringBuilder();
        var i = 0;
        foreach (var (lane, seq) in checkpoints)
        {
            cases.Append(CultureInfo.InvariantCulture, $" WHEN $l{i} THEN $s{i}");
            command.Parameters.AddWithValue($"$l{i}", lane);
            command.Parameters.AddWithValue($"$s{i}", seq);
            i++;
        }

        command.CommandText = $"SELECT count(*) FROM events WHERE seq <= CASE lane{cases} ELSE -1 END";
        return (long)command.ExecuteScalar()!;
    }

    private Dictionary<long, long> Pairs(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var result = new Dictionary<long, long>();
        while (reader.Read())
        {
            result[reader.GetInt64(0)] = reader.GetInt64(1);
        }

        return result;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connection);
        connection.Open();
        return connection;
    }
}
