// Node-only half of instrumentation.ts, in a file of its own so the Edge bundle never sees
// `process.once`/`process.exit` (Next warns about every Node API it finds there).
import { closeDb } from "./db/client";

/**
 * The launcher (npm start) sets NEXT_MANUAL_SIG_HANDLE so that this handler, not Next's, decides how
 * the process ends: close the database (PGlite must be closed cleanly, not killed mid-write), then exit.
 */
export function closeDatabaseOnSignals() {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    const forceExit = setTimeout(() => process.exit(1), 5_000);
    forceExit.unref();
    closeDb()
      .catch((error: unknown) => console.error("[boxoffice] closing the database failed", error))
      .finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
