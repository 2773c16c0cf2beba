/**
 * Postgres's unique_violation (23505), as postgres.js reports it, wrapped by Drizzle, or from
 * PGlite: a race that a unique index decided, which callers turn into a clean answer.
 */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}
