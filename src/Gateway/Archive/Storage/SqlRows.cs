using System.Data.Common;

namespace Gateway.Archive.Storage;

/// <summary>Runs one parameterized statement once per row, inside the caller's transaction, as fast as the database allows:
/// PostgreSQL gets the rows in batches of statements (one round trip each); SQLite, in-process, reuses one prepared command.</summary>
internal static class SqlRows
{
    private const int RowsPerBatch = 500;

    public static async Task ExecuteAsync(DbTransaction transaction, string sql, IReadOnlyList<string> parameters,
        IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        if (connection.CanCreateBatch)
        {
            foreach (var chunk in rows.Chunk(RowsPerBatch))
            {
                await ExecuteBatchAsync(connection, transaction, sql, parameters, chunk, cancellationToken);
            }
            return;
        }
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(Parameter(command.CreateParameter(), name, null));
        }
        foreach (var row in rows)
        {
            for (var index = 0; index < row.Length; index++)
            {
                command.Parameters[index].Value = row[index] ?? DBNull.Value;
            }
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task ExecuteBatchAsync(DbConnection connection, DbTransaction transaction, string sql,
        IReadOnlyList<string> parameters, object?[][] rows, CancellationToken cancellationToken)
    {
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var row in rows)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = sql;
            for (var index = 0; index < row.Length; index++)
            {
                command.Parameters.Add(Parameter(command.CreateParameter(), parameters[index], row[index]));
            }
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public static DbParameter Parameter(DbParameter parameter, string name, object? value)
    {
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        return parameter;
    }

    public static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(Parameter(command.CreateParameter(), name, value));
        }
        return command;
    }
}
