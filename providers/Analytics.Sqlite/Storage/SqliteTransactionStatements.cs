using Microsoft.Data.Sqlite;

namespace Analytics.Sqlite.Storage;

/// <summary>
/// BEGIN, COMMIT and ROLLBACK of one connection, prepared once: a writer that commits thousands of times a second does
/// not parse them each time.
/// </summary>
public sealed class SqliteTransactionStatements(SqliteConnection connection, string begin = "BEGIN") : IDisposable
{
    private readonly SqliteStatement _begin = new(connection, begin);
    private readonly SqliteStatement _commit = new(connection, "COMMIT");
    private readonly SqliteStatement _rollback = new(connection, "ROLLBACK");

    /// <summary>Runs <paramref name="body"/> in one transaction: committed when it returns, rolled back when it throws.</summary>
    public void Run<TState>(TState state, Action<TState> body)
    {
        _begin.Execute();
        try
        {
            body(state);
            _commit.Execute();
        }
        catch
        {
            try
            {
                _rollback.Execute();
            }
            catch (SqliteException)
            {
                // SQLite already rolled the transaction back.
            }

            throw;
        }
    }

    public void Dispose()
    {
        _begin.Dispose();
        _commit.Dispose();
        _rollback.Dispose();
    }
}
