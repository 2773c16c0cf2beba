import "server-only";
import { and, eq, gt, inArray, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { rateLimits } from "../schema";

/** Counters of the given keys whose window is still open at `now`. */
export async function findOpenCounters(db: Executor, keys: string[], now: Date) {
  if (keys.length === 0) return [];
  return db
    .select({ key: rateLimits.key, hits: rateLimits.hits, windowEndsAt: rateLimits.windowEndsAt })
    .from(rateLimits)
    .where(and(inArray(rateLimits.key, keys), gt(rateLimits.windowEndsAt, now)));
}

/**
 * Counts one hit in one statement (safe under concurrency, across app instances): a key whose
 * window has ended starts a fresh window at `now`.
 */
export async function incrementCounter(db: Executor, key: string, now: Date, windowSeconds: number) {
  const windowEndsAt = new Date(now.getTime() + windowSeconds * 1000);
  const [row] = await db
    .insert(rateLimits)
    .values({ key, hits: 1, windowEndsAt })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        hits: sql`case when ${rateLimits.windowEndsAt} <= ${now.toISOString()}::timestamptz then 1 else ${rateLimits.hits} + 1 end`,
        windowEndsAt: sql`case when ${rateLimits.windowEndsAt} <= ${now.toISOString()}::timestamptz then ${windowEndsAt.toISOString()}::timestamptz else ${rateLimits.windowEndsAt} end`,
      },
    })
    .returning({ hits: rateLimits.hits, windowEndsAt: rateLimits.windowEndsAt });
  return row!;
}

export async function deleteCounter(db: Executor, key: string) {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}
