namespace AgentScript.Queries;

/// <summary>Rows of a raw native query. Values are strings, numbers, booleans, nulls, or JSON text for documents.</summary>
/// <param name="Columns">Column names (for AQL: the keys seen in the returned documents).</param>
/// <param name="Rows">Rows, values in column order.</param>
/// <param name="RowsAffected">For writes, the number of rows changed.</param>
public sealed record RawQueryResult(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows, int? RowsAffected);
