import path from "node:path";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { Database } from "./client";

const migrationsFolder = path.join(process.cwd(), "drizzle");

/** Applies drizzle/ to the database (postgres.js or PGlite: both expose the same migrator contract). */
export async function migrateDatabase(db: Database): Promise<void> {
  await migratePostgres(db, { migrationsFolder });
}
