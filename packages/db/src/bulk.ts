/**
 * Many rows in one statement with one parameter: the rows travel as a JSON array and PostgreSQL
 * spreads them into the table's own column types (`jsonb_populate_recordset`). A drizzle multi-row
 * `VALUES` is built and bound value by value in JavaScript — fifty rows of twenty columns are a
 * thousand parameters — while this costs one `JSON.stringify`: what the ledger's batched writes use.
 *
 * The columns written are those the rows give (an `undefined` value is left out); a column a row
 * leaves out while another gives it is NULL in that row, not its default.
 */
import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

type Row<T extends PgTable> = T['$inferInsert'];

/** A value as PostgreSQL reads it from JSON: JSON columns nested as they are, the rest in driver form. */
function jsonValue(column: ReturnType<typeof getTableColumns>[string], value: unknown): unknown {
  if (value === null) return null;
  if (column.columnType === 'PgJsonb' || column.columnType === 'PgJson') return value;
  const driven = column.mapToDriverValue(value);
  return typeof driven === 'bigint' ? driven.toString() : driven;
}

/** `INSERT INTO table (…) SELECT … FROM jsonb_populate_recordset(…)`, then `tail` (ON CONFLICT, RETURNING). */
export function insertJsonRows<T extends PgTable>(table: T, rows: Row<T>[], tail?: SQL): SQL {
  const columns = Object.entries(getTableColumns(table)).filter(([key]) =>
    rows.some((row) => (row as Record<string, unknown>)[key] !== undefined),
  );
  const json = rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [key, column] of columns) {
      const value = (row as Record<string, unknown>)[key];
      out[column.name] = value === undefined ? null : jsonValue(column, value);
    }
    return out;
  });
  const names = sql.raw(columns.map(([, column]) => `"${column.name}"`).join(', '));
  const type = sql.raw(`"${getTableName(table)}"`);
  return sql`INSERT INTO ${type} (${names}) SELECT ${names} FROM jsonb_populate_recordset(NULL::${type}, ${JSON.stringify(json)}::jsonb) ${tail ?? sql``}`;
}

/** `SET column = excluded.column` for every column but `keep`: an upsert that writes the rest of the row. */
export function setFromExcluded<T extends PgTable>(table: T, keep: (keyof T['$inferSelect'])[]): SQL {
  return sql.raw(
    Object.entries(getTableColumns(table))
      .filter(([key]) => !keep.includes(key as keyof T['$inferSelect']))
      .map(([, column]) => `"${column.name}" = excluded."${column.name}"`)
      .join(', '),
  );
}
