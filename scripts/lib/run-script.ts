import { ConfigError } from "@/lib/env/schema";
import { LockHeldError } from "@/db/dir-lock";

/** Runs a CLI body; configuration and lock errors print one clear message instead of a stack. */
export function runScript(body: () => Promise<void>): void {
  body().then(
    () => process.exit(0),
    (error: unknown) => {
      if (error instanceof ConfigError || error instanceof LockHeldError) console.error(error.message);
      else console.error(error);
      process.exit(1);
    },
  );
}
