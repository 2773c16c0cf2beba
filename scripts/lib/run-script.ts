import { ConfigError } from "@/lib/env/schema";
import { LockHeldError } from "@/db/dir-lock";

function fail(error: unknown): never {
  // Configuration and lock errors are the user's to fix: one clear message, no stack trace.
  if (error instanceof ConfigError || error instanceof LockHeldError) console.error(`\n${error.message}\n`);
  else console.error(error);
  process.exit(1);
}

/** Runs a CLI body to completion, then exits. */
export function runScript(body: () => Promise<void>): void {
  body().then(() => process.exit(0), fail);
}

/** Runs a long-lived CLI body (a server): exits only on failure; the body decides when to stop. */
export function runScriptForever(body: () => Promise<void>): void {
  body().catch(fail);
}
