import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { migrateDatabase } from "@/db/migrate";
import * as schema from "@/db/schema";

/**
 * A fresh Postgres database per test run (drizzle-kit's SQL names "public" explicitly, so a fresh
 * schema would not isolate). Returns its URL and a function that drops it.
 */
export async function createFreshDatabase(serverUrl: string, prefix: string) {
  const name = `${prefix}_${Date.now()}_${process.pid}`;
  const admin = postgres(withDatabase(serverUrl, "postgres"), { max: 1, onnotice: () => {} });
  await dropOrphans(admin, prefix);
  await admin.unsafe(`create database "${name}"`);
  const url = withDatabase(serverUrl, name);
  const client = postgres(url, { max: 1, onnotice: () => {} });
  await migrateDatabase(drizzle(client, { schema }));
  await client.end();
  return {
    url,
    drop: async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Drops databases left by earlier runs whose process is gone (a run killed before its teardown). */
async function dropOrphans(admin: postgres.Sql, prefix: string) {
  const rows = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${prefix + "\\_%"}`;
  for (const { datname } of rows) {
    const pid = Number(datname.split("_").at(-1));
    if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) {
      await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
