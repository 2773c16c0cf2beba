import "server-only";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { getEnv } from "@/lib/env";
import * as schema from "./schema";
import { openPglite } from "./pglite";

export type Database = PostgresJsDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Query functions take either, so services can compose them inside one transaction. */
export type Executor = Database | Transaction;

interface Handle {
  db: Database;
  close: () => Promise<void>;
}

// Cached on globalThis: Next may evaluate this module once per route chunk, and PGlite must be
// opened exactly once per process.
const cache = globalThis as unknown as { __boxofficeDb?: Promise<Handle> };

export async function getDb(): Promise<Database> {
  cache.__boxofficeDb ??= openDatabase();
  return (await cache.__boxofficeDb).db;
}

export async function closeDb(): Promise<void> {
  const handle = cache.__boxofficeDb;
  cache.__boxofficeDb = undefined;
  if (handle) await (await handle).close();
}

/**
 * Drizzle runs every query it was not given a name for unprepared, and postgres.js describes an
 * unprepared query with parameters before running it: two round trips for every query, with any
 * row lock of the surrounding transaction held across both. Prepared (postgres.js's own default,
 * cached per connection by statement text) a query is one round trip, and Postgres can reuse its
 * plan. Every statement the app sends has a fixed text per call site, so the cache stays small.
 */
export function preparingEveryQuery(sql: postgres.Sql): postgres.Sql {
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        return (query: string, parameters?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(query, parameters, { ...options, prepare: true });
      }
      if (property === "begin" || property === "savepoint") {
        // Transactions run on a connection of their own, handed to the callback: it must prepare too.
        return (...args: unknown[]) => {
          const callback = args.pop() as (tx: postgres.Sql) => unknown;
          const open = Reflect.get(target, property, receiver) as (...a: unknown[]) => unknown;
          return open.apply(target, [...args, (tx: postgres.Sql) => callback(preparingEveryQuery(tx))]);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

async function openDatabase(): Promise<Handle> {
  const { database } = getEnv();
  if (database.kind === "postgres") {
    const client = postgres(database.url, { max: database.poolSize, onnotice: () => {} });
    return { db: drizzlePostgres(preparingEveryQuery(client), { schema }), close: () => client.end({ timeout: 5 }) };
  }
  const { db, close } = await openPglite(database.dir);
  return { db, close };
}
