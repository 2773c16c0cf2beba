// npm run db:migrate — applies drizzle/ to DATABASE_URL, or to the embedded PGlite in .data/.
import { closeDb, getDb } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { runScript } from "./lib/run-script";

runScript(async () => {
  await migrateDatabase(await getDb());
  await closeDb();
  console.log("Migrations applied.");
});
