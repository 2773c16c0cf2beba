const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A malformed id is just an id that does not exist: it never reaches SQL (where it would be a 500). */
export const isUuid = (value: string) => uuidPattern.test(value);

/** Postgres's unique_violation, as postgres.js reports it (or wrapped by Drizzle, or from PGlite). */
export function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (e.code === "23505") return true;
    e = e.cause as typeof e;
  }
  return false;
}
