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

async function openDatabase(): Promise<Handle> {
  const { database } = getEnv();
  if (database.kind === "postgres") {
    const client = postgres(database.url, { max: database.poolSize, onnotice: () => {} });
    return { db: drizzlePostgres(client, { schema }), close: () => client.end({ timeout: 5 }) };
  }
  const { db, close } = await openPglite(database.dir);
  return { db, close };
}
