// The app as Playwright's web server: `npm start` on a throw-away data folder (and, when
// DATABASE_URL points at a Postgres server, a throw-away database on it), with its own ports.
import { rmSync } from "node:fs";
import { createFreshDatabase } from "@/tests/setup/test-database";
import { launch } from "./lib/launch";
import { runScriptForever } from "./lib/run-script";

runScriptForever(async () => {
  const dataDir = process.env.BOXOFFICE_DATA_DIR ?? ".data/e2e";
  rmSync(dataDir, { recursive: true, force: true });
  process.env.BOXOFFICE_DATA_DIR = dataDir;
  if (process.env.DATABASE_URL?.startsWith("postgres")) {
    const database = await createFreshDatabase(process.env.DATABASE_URL, "boxoffice_e2e");
    process.env.DATABASE_URL = database.url;
    process.on("exit", () => console.log(`[e2e] database ${database.url} left for inspection; dropped on the next run's cleanup`));
  }
  await launch({ dev: false });
});
