import "server-only";
import { and, eq, gt, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { rateLimits } from "../schema";

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

/**
 * Takes back one hit counted by `incrementCounter`, only while the same window is open: a window
 * that has ended (or was cleared) since is someone else's count and is left alone.
 */
export async function releaseCounterHit(db: Executor, key: string, windowEndsAt: Date) {
  await db
    .update(rateLimits)
    .set({ hits: sql`${rateLimits.hits} - 1` })
    .where(and(eq(rateLimits.key, key), eq(rateLimits.windowEndsAt, windowEndsAt), gt(rateLimits.hits, 0)));
}
