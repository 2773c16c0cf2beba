import "server-only";
import { getTableName, type Column } from "drizzle-orm";
import type { Executor } from "./client";

type Row = Record<string, unknown>;
type Postgres = { unsafe(text: string, params: unknown[], options: { prepare: boolean }): Promise<Row[]> };
type Pglite = { query(text: string, params: unknown[]): Promise<{ rows: Row[] }> };

/**
 * Runs one fixed, hand-written statement on the executor's connection — inside its transaction
 * when it is one. For the hottest statements only (webhook fulfilment): the query builder spends
 * more CPU assembling a statement than Postgres spends running it, and a fixed text is prepared
 * once per connection. Parameters are strings, numbers or null; cast them in the text.
 */
export async function runStatement(executor: Executor, text: string, params: unknown[]): Promise<Row[]> {
  const client = driverClientOf(executor);
  if ("unsafe" in client) return client.unsafe(text, params, { prepare: true });
  return (await client.query(text, params)).rows;
}

// Drizzle keeps the driver's handle on its session: for a transaction, the connection (postgres.js)
// or transaction object (PGlite) it runs on. Not public API; the drizzle version is pinned, and
// the fulfilment tests run through here on both drivers.
function driverClientOf(executor: Executor): Postgres | Pglite {
  const client = (executor as unknown as { session?: { client?: Postgres | Pglite } }).session?.client;
  if (!client) throw new Error("runStatement: this executor exposes no driver client");
  return client;
}

type Selection = Record<string, Record<string, Column>>;
type Selected<S extends Selection> = {
  [G in keyof S]: { [K in keyof S[G]]: S[G][K]["_"]["notNull"] extends true ? S[G][K]["_"]["data"] : S[G][K]["_"]["data"] | null };
};

/**
 * A select list for grouped columns (`{ payment: getTableColumns(eventPayments), buyer: {…} }`),
 * built once, and the mapper that turns a row back into the same nested, typed shape Drizzle
 * would return (each column maps its own driver value, e.g. timestamps to Date).
 */
export function compileSelection<S extends Selection>(selection: S): { list: string; read: (row: Row) => Selected<S> } {
  const fields = Object.entries(selection).flatMap(([group, columns]) =>
    Object.entries(columns).map(([key, column]) => ({ group, key, column, alias: `${group}.${key}` })),
  );
  const list = fields.map((f) => `"${getTableName(f.column.table)}"."${f.column.name}" as "${f.alias}"`).join(", ");
  const read = (row: Row) => {
    const result: Record<string, Record<string, unknown>> = {};
    for (const f of fields) {
      const value = row[f.alias];
      (result[f.group] ??= {})[f.key] = value == null ? null : f.column.mapFromDriverValue(value);
    }
    return result as Selected<S>;
  };
  return { list, read };
}
