import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import * as schema from "./schema";
import { acquireDirLock } from "./dir-lock";

/**
 * PGlite has no lock of its own: two processes on one folder silently lose writes. We hold a lock
 * file beside the folder for as long as it is open and refuse to open a folder someone else holds.
 */
export async function openPglite(dir: string) {
  const release = dir === "memory://" ? () => {} : acquireDirLock(`${dir}.lock`, "the embedded database");
  try {
    const client = await PGlite.create(dir === "memory://" ? undefined : dir);
    // The query builder behaves the same on both drivers; only db.execute's result shape differs.
    const db = drizzlePglite(client, { schema }) as unknown as PostgresJsDatabase<typeof schema>;
    return {
      db,
      client,
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
