import "server-only";
import { loadEnv, type Env } from "./schema";

export type { Env } from "./schema";

const cache = globalThis as unknown as { __boxofficeEnv?: Env };

/**
 * The validated configuration. Read lazily (not at import) so `next build` can import route
 * modules without a runtime environment; the first request or script call validates everything and
 * fails with a message naming the variable.
 */
export function getEnv(): Env {
  cache.__boxofficeEnv ??= loadEnv(process.env);
  return cache.__boxofficeEnv;
}
